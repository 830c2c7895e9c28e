using Streaming.Detection.Decision;

namespace Streaming.UnitTests.Detection.Decision;

public sealed class InputFindingsTests
{
    [Fact]
    public void Rank_PlantedSmallPValues_FlaggedFirstByBenjaminiHochberg()
    {
        // 100 events: 5 with tiny p-values among evenly spread ones.
        var p = Enumerable.Range(0, 100).Select(i => (i + 1) / 101.0).ToArray();
        int[] planted = [7, 19, 42, 63, 88];
        foreach (var i in planted) p[i] = 0.0001 * (i + 1) / 100;
        var layers = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? "conv1" : "fc1").ToArray();
        var adversarial = Enumerable.Range(0, 100).Select(i => planted.Contains(i)).ToArray();

        var ranked = InputFindings.Rank(p, layers, adversarial, alpha: 0.05, max: 10);

        Assert.Equal(10, ranked.Count);
        Assert.Equal(planted.Order(), ranked.Where(f => f.Flagged).Select(f => f.Index).Order());
        Assert.All(ranked.Take(5), f => Assert.True(f.Flagged && f.Adversarial));
        Assert.Equal("fc1", ranked.Single(f => f.Index == 19).Layer);
        Assert.True(ranked.Zip(ranked.Skip(1)).All(pair => pair.First.PValue <= pair.Second.PValue));
    }

    [Fact]
    public void Rank_UniformPValues_UsuallyFlagsNothing()
    {
        var random = new Random(7);
        var windowsWithFlags = 0;
        for (var w = 0; w < 2000; w++)
        {
            var p = Enumerable.Range(0, 100).Select(_ => random.NextDouble()).ToArray();
            var ranked = InputFindings.Rank(p, [.. p.Select(_ => "l")], [.. p.Select(_ => false)], 0.05, 20);
            if (ranked.Any(f => f.Flagged)) windowsWithFlags++;
        }

        // Under the global null BH flags anything only when Simes rejects: at most alpha of windows.
        Assert.InRange(windowsWithFlags / 2000.0, 0, 0.065);
    }

    [Fact]
    public void Rank_NaNPValue_RankedLastAndNeverFlagged()
    {
        var ranked = InputFindings.Rank([double.NaN, 1e-6], ["a", "b"], [false, false], 0.05, 5);

        Assert.Equal(1, ranked[0].Index);
        Assert.True(ranked[0].Flagged);
        Assert.Equal(1.0, ranked[1].PValue);
        Assert.False(ranked[1].Flagged);
    }

    [Fact]
    public void Rank_ListsOfDifferentLength_Throws() =>
        Assert.Throws<ArgumentException>(() => InputFindings.Rank([0.1, 0.2], ["a"], [false, false], 0.05, 5));
}
