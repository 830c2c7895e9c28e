using Streaming.Detection;
using Streaming.Detection.Online;

namespace Streaming.UnitTests.Detection;

/// <summary>
/// No finite input within ±1e6 can make a statistic non-finite, and a non-finite statistic can
/// never look significant. The dimensions are those in use (conv1 32, conv2 64, fc1 128) and
/// larger (512), where a float32 squared norm of 1e6-sized values is largest.
/// </summary>
public sealed class NumericalSafetyTests
{
    private static float[][] WithExtremes(float[][] clean, int count, int seed)
    {
        var random = new Random(seed);
        var rows = clean.Select(r => (float[])r.Clone()).ToArray();
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < rows[i].Length; j++)
            {
                rows[i][j] = random.Next(2) == 0 ? (float)ActivationBounds.MaxMagnitude : -(float)ActivationBounds.MaxMagnitude;
            }
        }
        return rows;
    }

    [Theory]
    [InlineData(32, 2)]
    [InlineData(128, 2)]
    [InlineData(512, 2)]
    [InlineData(512, 100)]
    public void WindowTester_ValuesOfMagnitude1e6_GiveFiniteStatisticsAndNoProblem(int dimension, int extreme)
    {
        var references = new ReferenceSet("m", "1", DateTimeOffset.UnixEpoch, [DetectionFixtures.Layer("l", Gaussian.Samples(200, dimension, 1))]);
        foreach (var scales in new[] { KernelBandwidths.Single, KernelBandwidths.Multi })
        {
            using var tester = new WindowTester(references, DetectionFixtures.Device,
                new WindowTesterOptions { Test = new MmdTestOptions { Permutations = 100, BandwidthScales = scales } });

            var outcome = tester.Test(new Dictionary<string, float[][]> { ["l"] = WithExtremes(Gaussian.Samples(100, dimension, 2), extreme, 3) });

            var layer = Assert.Single(outcome.Layers);
            Assert.True(double.IsFinite(layer.Mmd2), $"MMD² {layer.Mmd2}");
            Assert.InRange(layer.PValue, 1 / 101.0, 1);
            Assert.Null(layer.Problem);
            Assert.InRange(outcome.CombinedPValue, 0, 1);
        }
    }

    [Theory]
    [InlineData(64)]
    [InlineData(512)]
    public void MmdPermutationTest_ValuesOfMagnitude1e6_GiveFiniteStatisticAndWitness(int dimension)
    {
        using var reference = DeviceReference.Upload(DetectionFixtures.Layer("l", Gaussian.Samples(200, dimension, 1)), DetectionFixtures.Device);

        var result = new MmdPermutationTest(new MmdTestOptions { Permutations = 100 }).Run(reference, WithExtremes(Gaussian.Samples(100, dimension, 2), 3, 4));

        Assert.True(double.IsFinite(result.Mmd2));
        Assert.InRange(result.PValue, 1 / 101.0, 1);
        Assert.All(result.WitnessScores, w => Assert.True(float.IsFinite(w)));
    }

    [Theory]
    [InlineData(1e20f)]
    [InlineData(4e18f)]
    [InlineData(-1.5e6f)]
    public void WindowTester_ValueBeyondTheBound_IsRefusedNotTested(float value)
    {
        var references = new ReferenceSet("m", "1", DateTimeOffset.UnixEpoch, [DetectionFixtures.Layer("l", Gaussian.Samples(50, 8, 1))]);
        using var tester = new WindowTester(references, DetectionFixtures.Device, new WindowTesterOptions { Test = new MmdTestOptions { Permutations = 50 } });
        var window = Gaussian.Samples(20, 8, 2);
        window[7][3] = value;

        var error = Assert.Throws<ArgumentException>(() => tester.Test(new Dictionary<string, float[][]> { ["l"] = window }));

        Assert.Contains("vector 7", error.Message);
        Assert.Contains("beyond", error.Message);
    }

    [Fact]
    public void PermutationPValue_NaNObserved_IsOneNotTheSmallestPValue()
    {
        Assert.Equal(1.0, PermutationPValue.From(float.NaN, [0.1f, 0.2f, 0.3f]));
        Assert.Equal(1.0, PermutationPValue.From(float.PositiveInfinity, [0.1f, 0.2f, 0.3f]));
    }

    [Fact]
    public void PermutationPValue_NaNPermutationStatistics_CountAgainstTheWindow()
    {
        // Observed above every finite permutation: p would be 1/4 if the NaNs were ignored.
        Assert.Equal(3 / 4.0, PermutationPValue.From(0.5f, [float.NaN, 0.1f, float.NaN]));
        Assert.Equal(1 / 4.0, PermutationPValue.From(0.5f, [0.1f, 0.2f, 0.3f]));
    }

    [Fact]
    public void PermutationPValue_LongNullsWithTiesAndNaNs_CountByDefinition()
    {
        // Longer than several registers, so the vector count and the tail after it both run.
        var random = new Random(5);
        for (int round = 0; round < 300; round++)
        {
            int length = random.Next(0, 71);
            var statistics = Enumerable.Range(0, length).Select(_ => random.Next(8) == 0 ? float.NaN : random.Next(-5, 6) * 0.25f).ToArray();
            float observed = random.Next(-6, 7) * 0.25f;
            int notBelow = statistics.Count(s => !(s < observed));

            Assert.Equal((1.0 + notBelow) / (1.0 + length), PermutationPValue.From(observed, statistics));
        }
    }

    [Fact]
    public void LayerStatistic_NaNObserved_HasPOneAndNamesTheProblem()
    {
        var statistic = LayerStatistic.From([float.NaN, 0.1f, 0.2f, 0.05f, 0.07f], permutations: 2);

        Assert.Equal(1.0, statistic.PValue);
        Assert.Equal(0, statistic.Mmd2);
        Assert.Contains("not finite", statistic.Problem);
        Assert.Equal([0.05f, 0.07f], statistic.WitnessScores);
    }

    [Fact]
    public void DeviceReference_BandwidthSoSmallThatTheKernelOverflows_IsRefused()
    {
        var layer = new LayerReference("l", 3, 2, [0, 0, 1, 1, 2, 2], bandwidth: 1e-25);

        var error = Assert.Throws<ArgumentException>(() => DeviceReference.Upload(layer, DetectionFixtures.Device));

        Assert.Contains("too small", error.Message);
    }

    [Fact]
    public void LayerReference_ValueBeyondTheBound_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new LayerReference("l", 2, 2, [0, 0, 1, 2e7f], bandwidth: 1));

        Assert.Contains("beyond", error.Message);
    }

    [Fact]
    public void OnlineDetector_ValueBeyondTheBound_IsRefusedAndTheStreamUnchanged()
    {
        var reference = new ReferenceSet("m", "1", DateTimeOffset.UnixEpoch, [DetectionFixtures.Layer("fc", Gaussian.Samples(200, 4, 1))]);
        var model = OnlineMmdCalibrator.Calibrate(reference, new OnlineMmdOptions { WindowSize = 5, ExpectedRunTime = 50, Bootstraps = 1_000 }, DetectionFixtures.Device);
        var detector = model.CreateDetector();

        var error = Assert.Throws<ArgumentException>(() => detector.Add(new Dictionary<string, float[]> { ["fc"] = [0, 1e20f, 0, 0] }));
        var step = detector.Add(new Dictionary<string, float[]> { ["fc"] = [(float)ActivationBounds.MaxMagnitude, 0, 0, 0] });

        Assert.Contains("beyond", error.Message);
        Assert.Equal(1, step.Step);
        Assert.All(step.Layers, l => Assert.True(double.IsFinite(l.Mmd2)));
    }
}
