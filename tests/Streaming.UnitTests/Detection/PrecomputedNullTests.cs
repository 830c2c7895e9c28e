using Streaming.Detection;
using Streaming.Detection.Scoring;

namespace Streaming.UnitTests.Detection;

public sealed class PrecomputedNullTests
{
    private const int Dimension = 6;
    private const int Size = 20;
    private const int NullWindows = 400;

    /// <summary>Reference of 150 and a disjoint calibration split of <paramref name="calibration"/> from one Gaussian.</summary>
    private static ReferenceSet Reference(int calibration = 400, bool withSplit = true)
    {
        var set = new ReferenceSet("m", "1", DateTimeOffset.UnixEpoch, [DetectionFixtures.Layer("l", Gaussian.Samples(150, Dimension, 1))]);
        if (!withSplit)
        {
            return set;
        }
        return set with
        {
            Calibration = new CalibrationSplit(
                Enumerable.Repeat(CalibrationSplit.NoLabel, 150).ToArray(), calibration,
                [Gaussian.Flatten(Gaussian.Samples(calibration, Dimension, 2))],
                Enumerable.Repeat(CalibrationSplit.NoLabel, calibration).ToArray(), 1, "test"),
        };
    }

    private static WindowTester Tester(ReferenceSet set, MmdNullMode mode = MmdNullMode.Precomputed, int capacity = 16) =>
        new(set, DetectionFixtures.Device, new WindowTesterOptions
        {
            Null = mode,
            NullWindows = NullWindows,
            NullSizeCapacity = capacity,
            Test = new MmdTestOptions { Permutations = 200, Seed = 7 },
        });

    private static Dictionary<string, float[][]> Window(int seed, int size = Size, float shift = 0f) =>
        new() { ["l"] = Gaussian.Samples(size, Dimension, seed, shift) };

    [Fact]
    public void Test_CleanWindows_PValuesUniformWithinBinomialAndKsBounds()
    {
        using var tester = Tester(Reference());
        const int windows = 300;
        const double alpha = 0.05;

        double[] pValues = [.. Enumerable.Range(0, windows).Select(k => tester.Test(Window(1000 + k)).CombinedPValue).Order()];

        // Share at or below alpha: 15 expected; 3 binomial standard deviations above is about 26.
        int rejected = pValues.Count(p => p <= alpha);
        double bound = windows * alpha + 3 * Math.Sqrt(windows * alpha * (1 - alpha));
        Assert.True(rejected <= bound, $"{rejected} of {windows} clean windows at p ≤ {alpha}; bound {bound:F1}");
        // Kolmogorov–Smirnov distance to U(0, 1) at the 1 % level. Every p-value is a rank among the same
        // NullWindows statistics, so the distance has the two-sample law (c · √(1/K + 1/N)), plus one grid step 1/(N + 1).
        double ks = pValues.Select((p, i) => Math.Max(Math.Abs(p - (double)i / windows), Math.Abs(p - (double)(i + 1) / windows))).Max();
        double critical = 1.628 * Math.Sqrt(1.0 / windows + 1.0 / NullWindows) + 1.0 / (NullWindows + 1);
        Assert.True(ks < critical, $"KS distance {ks:F3}, critical {critical:F3}");
    }

    [Fact]
    public void Test_ShiftedWindow_RejectedAgainstThePrecomputedNull()
    {
        using var tester = Tester(Reference());

        var outcome = tester.Test(Window(99, shift: 1f));

        Assert.Equal(MmdNullMode.Precomputed, outcome.Null);
        Assert.True(outcome.Alert, $"p = {outcome.CombinedPValue}");
        Assert.Equal(1.0 / (NullWindows + 1), outcome.Layers[0].PValue, 12);
    }

    [Fact]
    public void Test_ReferenceWithoutCalibrationSplit_FallsBackToPermutationsAndSaysWhy()
    {
        var set = Reference(withSplit: false);
        using var asked = Tester(set);
        using var permutation = Tester(set, MmdNullMode.Permutation);

        var window = Window(5);
        var outcome = asked.Test(window);

        Assert.Equal(MmdNullMode.Permutation, asked.NullMode);
        Assert.Contains("calibration split", asked.NullFallbackReason);
        Assert.Equal(MmdNullMode.Permutation, outcome.Null);
        Assert.Equal(permutation.Test(window).Layers[0].PValue, outcome.Layers[0].PValue);
        Assert.Null(permutation.NullFallbackReason);
    }

    [Fact]
    public void Test_WindowLargerThanCalibrationPool_UsesPermutationsForThatSizeOnly()
    {
        using var tester = Tester(Reference(calibration: 30));

        Assert.Equal(30, tester.NullPoolCount);
        Assert.Equal(MmdNullMode.Permutation, tester.Test(Window(3, size: 40)).Null);
        Assert.Equal(MmdNullMode.Precomputed, tester.Test(Window(4, size: 20)).Null);
    }

    [Fact]
    public void Test_PartialWindowsOfManySizes_NullPerSizeAndCacheBounded()
    {
        using var tester = Tester(Reference(), capacity: 2);
        tester.PrepareNull([Size]);

        foreach (int size in new[] { 10, 12, 14 })
        {
            Assert.Equal(MmdNullMode.Precomputed, tester.Test(Window(size, size: size)).Null);
        }

        Assert.Equal([14, 12], tester.PrecomputedNullSizes);
    }

    [Fact]
    public void TestMany_PrecomputedNull_EachOutcomeEqualsTheWindowTestedAlone()
    {
        using var tester = Tester(Reference());
        var windows = Enumerable.Range(0, 5).Select(k => (IReadOnlyDictionary<string, float[][]>)Window(200 + k, shift: k == 2 ? 1f : 0f)).ToList();

        var batched = tester.TestMany(windows);

        for (int k = 0; k < windows.Count; k++)
        {
            var alone = tester.Test(windows[k]);
            Assert.Equal(alone.Layers[0].Mmd2, batched[k].Layers[0].Mmd2, 5);
            Assert.Equal(alone.Layers[0].PValue, batched[k].Layers[0].PValue);
            Assert.Equal(alone.TopSampleIndices, batched[k].TopSampleIndices);
        }
    }

    [Fact]
    public void Test_PrecomputedStatistic_EqualsThePermutationTestsObservedMmd2()
    {
        var set = Reference();
        using var precomputed = Tester(set);
        using var permutation = Tester(set, MmdNullMode.Permutation);
        var window = Window(77, shift: 0.3f);

        Assert.Equal(permutation.Test(window).Layers[0].Mmd2, precomputed.Test(window).Layers[0].Mmd2, 4);
    }

    [Theory]
    [InlineData(5, 16, "NullWindows")]
    [InlineData(2000, 0, "NullSizeCapacity")]
    public void Create_BadNullOption_ThrowsNamingIt(int windows, int capacity, string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => new WindowTester(Reference(), DetectionFixtures.Device,
            new WindowTesterOptions { Null = MmdNullMode.Precomputed, NullWindows = windows, NullSizeCapacity = capacity }));

        Assert.Equal(name, ex.ParamName);
    }

    [Fact]
    public void Create_UndefinedNullMode_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => new WindowTester(Reference(), DetectionFixtures.Device,
            new WindowTesterOptions { Null = (MmdNullMode)7 }));

        Assert.Equal("Null", ex.ParamName);
    }
}
