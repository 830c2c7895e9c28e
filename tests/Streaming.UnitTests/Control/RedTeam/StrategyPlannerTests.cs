using Streaming.Control.RedTeam;

namespace Streaming.UnitTests.Control.RedTeam;

public sealed class StrategyPlannerTests
{
    private static readonly TrafficShape Shape = new(BatchSize: 10, WindowSize: 100, WindowSlide: 50);

    [Theory]
    [InlineData(1, 100)]
    [InlineData(100, 100)]
    [InlineData(101, 150)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 1050)]
    public void WholeWindows_Count_EndsOnAWindow(int events, int expected)
    {
        Assert.Equal(expected, Shape.WholeWindows(events));
    }

    [Fact]
    public void Plan_Mix_ExactShareAtMixedPositionsOnOneStreamOfWholeWindows()
    {
        var plan = StrategyPlanner.Plan(new RedTeamStrategy(StrategyFamily.Mix, "pgd", 0.3, 0.1, 990), Shape, "s", seed: 3, cleanPool: 2000, adversarialPool: 500);

        Assert.Equal(1000, plan.Images);
        Assert.Equal(100, plan.AdversarialImages);
        Assert.Equal(["s"], plan.EventsPerStream.Keys);
        Assert.Equal(19, plan.ExpectedStreamWindows(Shape));
        Assert.All(plan.Requests, r => Assert.Equal(10, r.Images.Count));
        // Mixed, not one block: adversarial inputs in both halves of the run.
        var flags = plan.Requests.SelectMany(r => r.Images).Select(i => i.Adversarial).ToArray();
        Assert.InRange(flags.Take(500).Count(a => a), 20, 80);
    }

    [Fact]
    public void Plan_Spread_EveryAdversarialInputAloneOnANewStreamInsideWholeCleanStreams()
    {
        var strategy = new RedTeamStrategy(StrategyFamily.Spread, "pgd", 0.3, 0.1, 1000) { CleanStreams = 4 };

        var plan = StrategyPlanner.Plan(strategy, Shape, "s", seed: 3, cleanPool: 2000, adversarialPool: 500);

        var adversarial = plan.Requests.Where(r => r.Images.Any(i => i.Adversarial)).ToList();
        Assert.All(adversarial, r => Assert.Single(r.Images));
        Assert.Equal(adversarial.Count, adversarial.Select(r => r.Stream).Distinct().Count());
        var clean = plan.Requests.Except(adversarial).ToList();
        Assert.All(clean, r => Assert.All(r.Images, i => Assert.False(i.Adversarial)));
        Assert.Equal(4, clean.Select(r => r.Stream).Distinct().Count());
        Assert.All(clean.GroupBy(r => r.Stream), g => Assert.Equal(250, g.Sum(r => r.Images.Count)));
        Assert.Equal(Math.Round(1000 * 0.1 / 0.9), adversarial.Count);
        Assert.Equal(4 * 4, plan.ExpectedStreamWindows(Shape)); // adversarial streams never fill a window
        // Hidden inside the clean traffic, not sent before or after it.
        var positions = plan.Requests.Select((r, k) => (r, k)).Where(x => adversarial.Contains(x.r)).Select(x => x.k).ToArray();
        Assert.True(positions.Min() < plan.Requests.Count / 3 && positions.Max() > 2 * plan.Requests.Count / 3, string.Join(',', positions));
    }

    [Fact]
    public void Plan_Trickle_OneAdversarialInputAfterEveryNCleanOnes()
    {
        var strategy = new RedTeamStrategy(StrategyFamily.Trickle, "pgd", 0.3, 1 / 51.0, 3000) { TrickleEvery = 50 };

        var plan = StrategyPlanner.Plan(strategy, Shape, "s", seed: 3, cleanPool: 2000, adversarialPool: 500);

        var flags = plan.Requests.SelectMany(r => r.Images).Select(i => i.Adversarial).ToArray();
        Assert.Equal(3000, flags.Length);
        var positions = flags.Select((a, k) => (a, k)).Where(x => x.a).Select(x => x.k).ToArray();
        Assert.Equal(3000 / 51, positions.Length);
        Assert.All(positions.Zip(positions.Skip(1)), p => Assert.Equal(51, p.Second - p.First));
        Assert.Equal(50, positions[0]);
    }

    [Fact]
    public void Plan_SameSeed_SamePlanAnotherSeedAnother()
    {
        var strategy = new RedTeamStrategy(StrategyFamily.Mix, "fgsm", 0.1, 0.05, 500);

        var a = Describe(StrategyPlanner.Plan(strategy, Shape, "s", seed: 7, cleanPool: 2000, adversarialPool: 100));
        var b = Describe(StrategyPlanner.Plan(strategy, Shape, "s", seed: 7, cleanPool: 2000, adversarialPool: 100));
        var c = Describe(StrategyPlanner.Plan(strategy, Shape, "s", seed: 8, cleanPool: 2000, adversarialPool: 100));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Plan_MoreAdversarialInputsThanThePool_EveryPoolImageUsedBeforeAnyRepeats()
    {
        var plan = StrategyPlanner.Plan(new RedTeamStrategy(StrategyFamily.Mix, "pgd", 0.3, 1, 100), Shape, "s", seed: 1, cleanPool: 2000, adversarialPool: 40);

        var indices = plan.Requests.SelectMany(r => r.Images).Select(i => i.PoolIndex).ToArray();
        Assert.Equal(40, indices.Take(40).Distinct().Count());
        Assert.Equal(40, indices.Skip(40).Take(40).Distinct().Count());
        Assert.All(indices, i => Assert.InRange(i, 0, 39));
    }

    private static string Describe(StrategyPlan plan) =>
        string.Join(';', plan.Requests.Select(r => r.Stream + ":" + string.Join(',', r.Images.Select(i => (i.Adversarial ? "a" : "c") + i.PoolIndex))));
}
