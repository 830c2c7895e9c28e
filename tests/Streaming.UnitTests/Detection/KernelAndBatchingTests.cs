using Streaming.Detection;

namespace Streaming.UnitTests.Detection;

public class KernelAndBatchingTests
{
    [Fact]
    public void Run_MultiBandwidthKernel_MatchesNaiveSumOfGaussianKernels()
    {
        var referenceVectors = Gaussian.Samples(60, 8, 21);
        var window = Gaussian.Samples(30, 8, 22, shift: 0.4f);
        var layer = DetectionFixtures.Layer("l", referenceVectors);
        var options = new MmdTestOptions { Permutations = 20, BandwidthScales = KernelBandwidths.Multi, Device = DetectionFixtures.Device };
        var test = new MmdPermutationTest(options);
        using var reference = test.Upload(layer);

        var result = test.Run(reference, window);

        double expected = KernelBandwidths.Multi.Sum(scale => NaiveMmd.UnbiasedMmd2(referenceVectors, window, layer.Bandwidth * scale));
        double single = NaiveMmd.UnbiasedMmd2(referenceVectors, window, layer.Bandwidth);
        Assert.True(Math.Abs(expected - single) > 1e-3, "the multi-bandwidth statistic must differ from the single one on this data");
        Assert.Equal(expected, result.Mmd2, expected * 1e-4);
    }

    [Fact]
    public void Test_WindowTester_MatchesNaiveMmd2AndFullKernelPValue()
    {
        // The cached reference part plus per-window blocks must give the same statistic as the naive
        // formula, and the same p-value as the full-joint-kernel permutation test with the same seed.
        var referenceVectors = Gaussian.Samples(80, 5, 31);
        var window = Gaussian.Samples(25, 5, 32, shift: 0.3f);
        var layer = DetectionFixtures.Layer("l", referenceVectors);
        var options = new MmdTestOptions { Permutations = 300, Seed = 9 };
        using var tester = new WindowTester(new ReferenceSet("m", "1", DateTimeOffset.UnixEpoch, [layer]), DetectionFixtures.Device,
            new WindowTesterOptions { Test = options });

        var outcome = tester.Test(new Dictionary<string, float[][]> { ["l"] = window });

        using var reference = DeviceReference.Upload(layer, DetectionFixtures.Device);
        var full = new MmdPermutationTest(options).Run(reference, window, seed: 9);
        double expected = NaiveMmd.UnbiasedMmd2(referenceVectors, window, layer.Bandwidth);
        Assert.Equal(expected, outcome.Layers[0].Mmd2, 1e-5);
        Assert.Equal(full.PValue, outcome.Layers[0].PValue, 0.01);
    }

    [Fact]
    public void TestMany_BatchOfWindows_EqualsTestingEachAloneExactly()
    {
        var references = new ReferenceSet("m", "1", DateTimeOffset.UnixEpoch,
        [
            DetectionFixtures.Layer("a", Gaussian.Samples(120, 6, 41)),
            DetectionFixtures.Layer("b", Gaussian.Samples(120, 12, 42)),
        ]);
        var options = new WindowTesterOptions { TopK = 4, Test = new MmdTestOptions { Permutations = 200, Seed = 5 } };
        var windows = new List<IReadOnlyDictionary<string, float[][]>>();
        for (int w = 0; w < 5; w++)
        {
            int size = w == 3 ? 20 : 30;   // one window of another size: its own group
            windows.Add(new Dictionary<string, float[][]>
            {
                ["a"] = Gaussian.Samples(size, 6, 100 + w, shift: 0.15f * w),
                ["b"] = Gaussian.Samples(size, 12, 200 + w, shift: 0.1f * w),
            });
        }

        using var batched = new WindowTester(references, DetectionFixtures.Device, options);
        using var single = new WindowTester(references, DetectionFixtures.Device, options);
        var together = batched.TestMany(windows);
        var alone = windows.Select(single.Test).ToArray();

        Assert.Equal(windows.Count, together.Count);
        for (int w = 0; w < windows.Count; w++)
        {
            Assert.Equal(alone[w].Layers, together[w].Layers);
            Assert.Equal(alone[w].CombinedPValue, together[w].CombinedPValue);
            Assert.Equal(alone[w].TopSampleIndices, together[w].TopSampleIndices);
        }
        Assert.True(together[4].Alert, "the most shifted window should alert");
    }

    [Fact]
    public void RejectionShare_CleanVersusShifted_InUnitIntervalAndHigherUnderShift()
    {
        var layer = DetectionFixtures.Layer("l", Gaussian.Samples(200, 8, 51));
        using var reference = DeviceReference.Upload(layer, DetectionFixtures.Device);
        var options = new DetectionRateOptions { Tests = 20, WindowSamples = 40, ReferenceSamples = 80, Permutations = 100 };

        double clean = DetectionRateEstimator.RejectionShare(reference, Gaussian.Samples(80, 8, 52), options, 0.05, seed: 1);
        double shifted = DetectionRateEstimator.RejectionShare(reference, Gaussian.Samples(80, 8, 53, shift: 0.6f), options, 0.05, seed: 1);

        Assert.InRange(clean, 0, 0.3);
        Assert.InRange(shifted, 0.7, 1);
        Assert.True(shifted > clean);
    }

    [Fact]
    public void Test_DetectionRateMode_ReportsShareForEveryLayer()
    {
        var references = new ReferenceSet("m", "1", DateTimeOffset.UnixEpoch, [DetectionFixtures.Layer("a", Gaussian.Samples(100, 4, 61))]);
        using var tester = new WindowTester(references, DetectionFixtures.Device, new WindowTesterOptions
        {
            Test = new MmdTestOptions { Permutations = 100 },
            DetectionRate = new DetectionRateOptions { Tests = 10, WindowSamples = 20, ReferenceSamples = 50, Permutations = 50 },
        });

        var outcome = tester.Test(new Dictionary<string, float[][]> { ["a"] = Gaussian.Samples(40, 4, 62, shift: 1f) });

        Assert.Equal(1.0, outcome.Layers[0].RejectionShare);
    }

    [Fact]
    public void Options_NonPositiveBandwidthScale_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MmdPermutationTest(new MmdTestOptions { BandwidthScales = [1.0, 0.0] }));
        Assert.Contains("positive", ex.Message);
    }
}
