using Streaming.Detection;
using Streaming.Detection.Decision;
using Streaming.Lab.Evaluation;
using Streaming.Detection.Scoring;
using static Streaming.UnitTests.Detection.Scoring.ScoringFixtures;

namespace Streaming.UnitTests.Detection.Decision;

public sealed class WindowEvidenceBuilderTests
{
    private const double Alpha = 0.05;

    [Fact]
    public void Build_CleanWindows_FalseAlarmRateOfTheCombinedDecisionAtAlpha()
    {
        var builder = new WindowEvidenceBuilder(new PerInputScorer(Reference(500, 1000, seed: 51)), Alpha);
        var random = new Random(52);
        const int windows = 400;
        var alarms = 0;
        for (var w = 0; w < windows; w++)
        {
            var (layers, labels) = Source(100, seed: 1000 + w);
            // The MMD family's p-value of a clean window is uniform.
            var evidence = builder.Build(Outcome(random.NextDouble()), layers, [.. labels.Select(l => (int?)l)]);
            if (evidence.Decision.Alert) alarms++;
        }

        var (lower, upper) = WilsonInterval.Compute(alarms, windows);
        Assert.True(lower <= Alpha, $"clean false-alarm rate {alarms / (double)windows:P1} [{lower:P1}, {upper:P1}]");
    }

    [Fact]
    public void Build_TenOutliersMixedIntoAWindowOfHundred_AlertsAndFlagsThemWithHighPrecision()
    {
        var builder = new WindowEvidenceBuilder(new PerInputScorer(Reference(500, 1000, seed: 53)), Alpha);
        var (clean, cleanLabels) = Source(90, seed: 54);
        var (outliers, outlierLabels) = Source(10, seed: 55, shift: 4f);
        var layers = clean.Select((layer, l) => layer.Concat(outliers[l]).ToArray()).ToArray();
        int?[] labels = [.. cleanLabels.Concat(outlierLabels).Select(l => (int?)l)];

        // MMD alone does not see a 10 % mix (p = 0.4); the per-input family does.
        var evidence = builder.Build(Outcome(0.4), layers, labels);

        Assert.True(evidence.Decision.Alert, $"combined p = {evidence.Decision.CombinedPValue}");
        Assert.Equal(2, evidence.Decision.Families); // MMD and the per-input counts (no scanner here)
        var flagged = evidence.Findings.Where(f => f.Flagged).Select(f => f.Index).ToList();
        Assert.True(flagged.Count >= 8, $"{flagged.Count} flagged");
        Assert.True(flagged.Count(i => i >= 90) / (double)flagged.Count >= 0.9, $"flagged: {string.Join(",", flagged)}");
        Assert.NotEqual(EvidenceKind.Unknown, evidence.Kind);
    }

    [Fact]
    public void Build_WithoutScorer_TheMmdFamilyDecidesAlone()
    {
        var builder = new WindowEvidenceBuilder(null, Alpha);
        var (layers, labels) = Source(20, seed: 56);

        var evidence = builder.Build(Outcome(0.01), layers, [.. labels.Select(l => (int?)l)]);

        Assert.True(evidence.Decision.Alert);
        Assert.Equal(1, evidence.Decision.Families);
        Assert.Null(evidence.Decision.InputPValue);
        Assert.Empty(evidence.Findings);
    }

    private static WindowTestOutcome Outcome(double p) =>
        new([new LayerTestOutcome("input", 0.01, p, p < Alpha)], CorrectionMethod.Bonferroni, Alpha, p, p < Alpha, [], TimeSpan.Zero);
}
