using Streaming.Lab.Attacks;
using Streaming.Lab.Traffic;

namespace Streaming.UnitTests.Lab.Traffic;

public sealed class TrafficPlannerTests
{
    private static readonly int[] Labels = Enumerable.Range(0, 500).Select(i => (i * 7) % 10).ToArray();

    private static TrafficPlan Plan(double cleanShare, int seed = 1, string attack = "pgd", int count = 1000) =>
        new(count, cleanShare, AttackSpec.Parse(attack, 0.3), seed);

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(1.0)]
    public void Plan_CleanShare_MatchesTheMix(double share)
    {
        var items = TrafficPlanner.Plan(Plan(share), Labels);

        Assert.Equal(1000, items.Count);
        Assert.Equal((int)Math.Round(1000 * share), items.Count(i => i.IsClean));
        Assert.All(items.Where(i => !i.IsClean), i => Assert.Equal(("pgd", 0.3), (i.Attack, i.Epsilon!.Value)));
    }

    [Fact]
    public void Plan_CleanShareHalf_MixesThroughoutTheSequence()
    {
        var items = TrafficPlanner.Plan(Plan(0.5), Labels);

        // Every block of 100 has roughly half clean: the mix is interleaved, not two phases.
        foreach (var block in items.Chunk(100))
            Assert.InRange(block.Count(i => i.IsClean), 30, 70);
    }

    [Fact]
    public void Plan_SameSeed_SameSequence_OtherSeed_Differs()
    {
        var first = TrafficPlanner.Plan(Plan(0.5, seed: 3), Labels);
        var again = TrafficPlanner.Plan(Plan(0.5, seed: 3), Labels);
        var other = TrafficPlanner.Plan(Plan(0.5, seed: 4), Labels);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Plan_Items_CarryTheirSourceLabelAndPosition()
    {
        var items = TrafficPlanner.Plan(Plan(0.3, count: 200), Labels);

        Assert.Equal(Enumerable.Range(0, 200), items.Select(i => i.Position));
        Assert.All(items, i => Assert.Equal(Labels[i.SourceIndex], i.Label));
        // 200 draws from 500 images: no image twice.
        Assert.Equal(200, items.Select(i => i.SourceIndex).Distinct().Count());
    }

    [Fact]
    public void Plan_FixedTarget_AttacksOnlyOtherClassesAndRecordsTheTarget()
    {
        var plan = new TrafficPlan(300, 0.2, AttackSpec.Parse("fgsm-targeted", 0.2) with { TargetClass = 4 }, 9);

        var attacked = TrafficPlanner.Plan(plan, Labels).Where(i => !i.IsClean).ToArray();

        Assert.Equal(240, attacked.Length);
        Assert.All(attacked, i => Assert.Equal(4, i.Target));
        Assert.DoesNotContain(attacked, i => i.Label == 4);
    }

    [Fact]
    public void Attributes_GroundTruth_UsesInvariantText()
    {
        var attacked = new TrafficItem(0, 12, 7, "pgd-targeted", 0.25, 8).Attributes();
        var clean = new TrafficItem(1, 13, 3, TrafficItem.CleanAttackName, null, null).Attributes();
        var deepFool = new TrafficItem(2, 14, 5, "deepfool", null, null).Attributes();

        Assert.Equal(new Dictionary<string, string> { ["attack"] = "pgd-targeted", ["epsilon"] = "0.25", ["label"] = "7", ["target"] = "8" }, attacked);
        Assert.Equal(new Dictionary<string, string> { ["attack"] = "none", ["epsilon"] = "0", ["label"] = "3", ["target"] = "none" }, clean);
        Assert.Equal("none", deepFool["epsilon"]);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    public void Plan_CleanShareOutOfRange_SaysTheRange(double share)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TrafficPlanner.Plan(Plan(share), Labels));

        Assert.Contains("[0, 1]", ex.Message);
    }
}
