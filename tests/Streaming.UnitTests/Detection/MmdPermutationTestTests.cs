using Streaming.Detection;

namespace Streaming.UnitTests.Detection;

public class MmdPermutationTestTests
{
    [Theory]
    [InlineData(1, 60, 30, 8, 0.5f)]
    [InlineData(2, 80, 20, 32, 0.3f)]
    [InlineData(3, 40, 40, 3, 1.0f)]
    public void Run_RandomData_MatchesNaiveDoubleMmd2(int seed, int n, int m, int d, float shift)
    {
        var referenceVectors = Gaussian.Samples(n, d, seed);
        var window = Gaussian.Samples(m, d, seed + 100, shift);
        var layer = DetectionFixtures.Layer("l", referenceVectors);
        using var reference = DeviceReference.Upload(layer, DetectionFixtures.Device);

        var result = new MmdPermutationTest(new MmdTestOptions { Permutations = 50 }).Run(reference, window);

        double expected = NaiveMmd.UnbiasedMmd2(referenceVectors, window, layer.Bandwidth);
        Assert.True(expected > 1e-3, $"test data should be shifted, MMD² = {expected}");
        Assert.Equal(expected, result.Mmd2, expected * 1e-4);
    }

    [Fact]
    public void Run_CleanWindowWithLargeOffset_MatchesNaiveWithinAbsoluteTolerance()
    {
        // Same distribution, far from the origin: MMD² ≈ 0 so only an absolute bound makes sense,
        // and the large offset exercises the centring that keeps float32 distances accurate.
        var referenceVectors = Gaussian.Samples(100, 16, 7, shift: 50f);
        var window = Gaussian.Samples(40, 16, 8, shift: 50f);
        var layer = DetectionFixtures.Layer("l", referenceVectors);
        using var reference = DeviceReference.Upload(layer, DetectionFixtures.Device);

        var result = new MmdPermutationTest(new MmdTestOptions { Permutations = 10 }).Run(reference, window);

        double expected = NaiveMmd.UnbiasedMmd2(referenceVectors, window, layer.Bandwidth);
        Assert.Equal(expected, result.Mmd2, 1e-5);
    }

    [Fact]
    public void StatisticsFor_GivenPermutations_EqualNaiveMmd2OfPermutedSamples()
    {
        const int n = 50, m = 25, d = 6;
        var referenceVectors = Gaussian.Samples(n, d, 11);
        var window = Gaussian.Samples(m, d, 12, shift: 0.4f);
        var layer = DetectionFixtures.Layer("l", referenceVectors);
        using var reference = DeviceReference.Upload(layer, DetectionFixtures.Device);
        var joint = referenceVectors.Concat(window).ToArray();

        var random = new Random(5);
        var assignments = new bool[4][];
        for (int p = 0; p < assignments.Length; p++)
        {
            int[] order = [.. Enumerable.Range(0, n + m)];
            if (p > 0)
            {
                random.Shuffle(order);
            }
            assignments[p] = new bool[n + m];
            foreach (int index in order.Skip(n))
            {
                assignments[p][index] = true;
            }
        }

        float[] statistics = new MmdPermutationTest().StatisticsFor(reference, window, assignments);

        for (int p = 0; p < assignments.Length; p++)
        {
            var x = joint.Where((_, i) => !assignments[p][i]).ToArray();
            var y = joint.Where((_, i) => assignments[p][i]).ToArray();
            double expected = NaiveMmd.UnbiasedMmd2(x, y, layer.Bandwidth);
            Assert.Equal(expected, statistics[p], 2e-5 + Math.Abs(expected) * 1e-4);
        }
    }

    [Fact]
    public void Run_HugeShift_PValueIsSmallestAttainable()
    {
        var layer = DetectionFixtures.Layer("l", Gaussian.Samples(60, 4, 1));
        using var reference = DeviceReference.Upload(layer, DetectionFixtures.Device);
        var test = new MmdPermutationTest(new MmdTestOptions { Permutations = 200 });

        var result = test.Run(reference, Gaussian.Samples(30, 4, 2, shift: 20f));

        Assert.Equal(1.0 / 201, result.PValue, 12);
    }

    [Fact]
    public void Run_WindowFromReferenceItself_PValueIsPositiveAndLarge()
    {
        var vectors = Gaussian.Samples(60, 4, 1);
        using var reference = DeviceReference.Upload(DetectionFixtures.Layer("l", vectors), DetectionFixtures.Device);

        var result = new MmdPermutationTest(new MmdTestOptions { Permutations = 100 }).Run(reference, vectors[..30]);

        Assert.InRange(result.PValue, 0.2, 1.0);
    }

    [Fact]
    public void Run_HalfSigmaMeanShiftIn16Dimensions_IsDetected()
    {
        using var reference = DeviceReference.Upload(DetectionFixtures.Layer("l", Gaussian.Samples(200, 16, 21)), DetectionFixtures.Device);

        var result = new MmdPermutationTest().Run(reference, Gaussian.Samples(100, 16, 22, shift: 0.5f));

        Assert.True(result.PValue < 0.01, $"p = {result.PValue}");
    }

    [Fact]
    public void Run_SameSeed_SamePValue_DifferentSeedDifferentPermutations()
    {
        // A weak shift puts the observed statistic inside the permutation distribution, where the
        // p-value depends on which permutations were drawn.
        using var reference = DeviceReference.Upload(DetectionFixtures.Layer("l", Gaussian.Samples(80, 8, 31)), DetectionFixtures.Device);
        var window = Gaussian.Samples(40, 8, 32, shift: 0.1f);
        var test = new MmdPermutationTest(new MmdTestOptions { Permutations = 200, Seed = 9 });

        var first = test.Run(reference, window);
        var second = test.Run(reference, window);
        var pValues = Enumerable.Range(100, 5).Select(s => test.Run(reference, window, (ulong)s).PValue).ToArray();

        Assert.Equal(first.PValue, second.PValue);
        Assert.Equal(first.Mmd2, second.Mmd2);
        Assert.InRange(first.PValue, 0.02, 0.98);
        Assert.True(pValues.Distinct().Count() > 1, $"five seeds gave the same p-value {pValues[0]}");
    }

    [Fact]
    public void Run_ShiftedSamples_HaveTheHighestWitnessScores()
    {
        using var reference = DeviceReference.Upload(DetectionFixtures.Layer("l", Gaussian.Samples(100, 8, 41)), DetectionFixtures.Device);
        var window = Gaussian.Samples(30, 8, 42);
        var outliers = new[] { 3, 17, 25 };
        foreach (int i in outliers)
        {
            window[i] = Gaussian.Samples(1, 8, 43 + i, shift: 4f)[0];
        }
        // Three far-away samples that also sit close to each other.
        window[17] = window[3].ToArray();
        window[25] = window[3].Select(v => v + 0.01f).ToArray();

        var result = new MmdPermutationTest(new MmdTestOptions { Permutations = 20 }).Run(reference, window);

        var top = result.WitnessScores.Select((score, i) => (score, i)).OrderByDescending(t => t.score).Take(3).Select(t => t.i);
        Assert.Equal(outliers, top.Order());
        Assert.Equal(30, result.WitnessScores.Count);
    }

    [Fact]
    public void Run_WitnessScores_MatchNaiveMeanKernelDifferences()
    {
        var referenceVectors = Gaussian.Samples(70, 5, 51);
        var window = Gaussian.Samples(20, 5, 52, shift: 0.7f);
        var layer = DetectionFixtures.Layer("l", referenceVectors);
        using var reference = DeviceReference.Upload(layer, DetectionFixtures.Device);

        var result = new MmdPermutationTest(new MmdTestOptions { Permutations = 10 }).Run(reference, window);

        for (int j = 0; j < window.Length; j++)
        {
            double toWindow = window.Where((_, i) => i != j).Average(w => NaiveMmd.Kernel(window[j], w, layer.Bandwidth));
            double toReference = referenceVectors.Average(r => NaiveMmd.Kernel(window[j], r, layer.Bandwidth));
            Assert.Equal(toWindow - toReference, result.WitnessScores[j], 1e-5);
        }
    }

    [Fact]
    public void Run_WindowWithNaN_ThrowsNamingTheVector()
    {
        using var reference = DeviceReference.Upload(DetectionFixtures.Layer("conv3", Gaussian.Samples(20, 4, 1)), DetectionFixtures.Device);
        var window = Gaussian.Samples(5, 4, 2);
        window[3][1] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => new MmdPermutationTest().Run(reference, window));

        Assert.Contains("vector 3", error.Message);
        Assert.Contains("conv3", error.Message);
    }

    [Fact]
    public void Run_WindowWithInfinity_Throws()
    {
        using var reference = DeviceReference.Upload(DetectionFixtures.Layer("l", Gaussian.Samples(20, 4, 1)), DetectionFixtures.Device);
        var window = Gaussian.Samples(5, 4, 2);
        window[0][0] = float.PositiveInfinity;

        Assert.Throws<ArgumentException>(() => new MmdPermutationTest().Run(reference, window));
    }

    [Fact]
    public void Run_DimensionMismatch_ThrowsWithBothDimensions()
    {
        using var reference = DeviceReference.Upload(DetectionFixtures.Layer("l", Gaussian.Samples(20, 4, 1)), DetectionFixtures.Device);

        var error = Assert.Throws<ArgumentException>(() => new MmdPermutationTest().Run(reference, Gaussian.Samples(5, 5, 2)));

        Assert.Contains("dimension 5, expected 4", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Run_WindowSmallerThanTwo_Throws(int size)
    {
        using var reference = DeviceReference.Upload(DetectionFixtures.Layer("l", Gaussian.Samples(20, 4, 1)), DetectionFixtures.Device);

        var error = Assert.Throws<ArgumentException>(() => new MmdPermutationTest().Run(reference, Gaussian.Samples(size, 4, 2)));

        Assert.Contains("at least 2", error.Message);
    }

    [Fact]
    public void Constructor_ZeroPermutations_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MmdPermutationTest(new MmdTestOptions { Permutations = 0 }));
    }

    [Fact]
    public void Run_DisposedReference_Throws()
    {
        var reference = DeviceReference.Upload(DetectionFixtures.Layer("l", Gaussian.Samples(20, 4, 1)), DetectionFixtures.Device);
        reference.Dispose();

        Assert.Throws<ObjectDisposedException>(() => new MmdPermutationTest().Run(reference, Gaussian.Samples(5, 4, 2)));
    }
}
