using Streaming.Detection.Decision;

namespace Streaming.UnitTests.Detection.Decision;

public sealed class EvidenceKindsTests
{
    [Theory]
    [InlineData(0, 10, 0.05, 1.0)]
    [InlineData(11, 10, 0.05, 0.0)]
    [InlineData(1, 1, 0.3, 0.3)]
    [InlineData(10, 10, 0.5, 0.0009765625)]
    [InlineData(2, 3, 0.5, 0.5)]
    public void AtLeast_HandComputed(int k, int n, double p, double expected) =>
        Assert.Equal(expected, BinomialTail.AtLeast(k, n, p), 12);

    [Fact]
    public void Classify_HalfOfTheFlaggedCarryEvidence_Adversarial()
    {
        var findings = Enumerable.Range(0, 10).Select(i => new InputFinding(i, 0.001, "fc1", Adversarial: i % 2 == 0, Flagged: true)).ToList();

        Assert.Equal(EvidenceKind.Adversarial, EvidenceKinds.Classify(findings, 0.05, 0.05));
    }

    [Fact]
    public void Classify_AsManyWithEvidenceAsChanceGives_Shift()
    {
        // 1 of 20 flagged events with evidence at level 0.05 is what a shifted clean population shows.
        var findings = Enumerable.Range(0, 20).Select(i => new InputFinding(i, 0.001, "fc1", Adversarial: i == 3, Flagged: true)).ToList();

        Assert.Equal(EvidenceKind.Shift, EvidenceKinds.Classify(findings, 0.05, 0.05));
    }

    [Fact]
    public void Classify_NothingFlagged_ShiftEvenWhenTheTopEventsCarryEvidence()
    {
        // The window's most unusual members carry the class-gap signal more often than its average,
        // so unflagged events are never weighed: an alert that flags no event is about the population.
        var findings = Enumerable.Range(0, 30).Select(i => new InputFinding(i, 0.2, "fc1", Adversarial: i < 6, Flagged: false)).ToList();

        Assert.Equal(EvidenceKind.Shift, EvidenceKinds.Classify(findings, 0.05, 0.05));
        Assert.Equal(EvidenceKind.Unknown, EvidenceKinds.Classify([], 0.05, 0.05));
    }
}
