using Streaming.Detection;
using TorchSharp;

namespace Streaming.UnitTests.Detection;

/// <summary>The managed window statistic against the precomputed null gives what the tensor one gives.</summary>
public sealed class HostWindowStatisticsTests
{
    private const int Reference = 200;
    private const int Size = 20;
    private const int Windows = 3;

    [Theory]
    [InlineData(1, false)]
    [InlineData(7, false)]
    [InlineData(10, true)]
    [InlineData(33, false)]
    [InlineData(128, true)]
    public void Compute_SameWindowsAsTheTensorPath_StatisticAndWitnessScoresWithinFloat32Rounding(int dimension, bool multiBandwidth)
    {
        var layer = DetectionFixtures.Layer("l", Gaussian.Samples(Reference, dimension, 1));
        using var reference = DeviceReference.Upload(layer, torch.CPU, multiBandwidth ? [0.5, 1, 2] : null);
        var pool = CalibrationPool.Build(reference, Gaussian.Flatten(Gaussian.Samples(100, dimension, 2)), 100);
        // One clean window, one shifted, one scaled: statistics near zero and well above it.
        float[] windows = [.. Gaussian.Flatten(Gaussian.Samples(Size, dimension, 3)),
            .. Gaussian.Flatten(Gaussian.Samples(Size, dimension, 4, shift: 0.8f)),
            .. Gaussian.Flatten(Gaussian.Samples(Size, dimension, 5)).Select(v => 1.7f * v)];
        float[] crossSums;
        float[] expected;
        using (var scope = torch.NewDisposeScope())
        {
            var windowRows = Enumerable.Range(0, Windows * Size).Select(r => windows.AsSpan(r * dimension, dimension).ToArray()).ToList();
            crossSums = TensorTransfer.Download(ObservedLayerStatistics.EventCrossSums(reference, windowRows));
            var stacked = torch.tensor(windows, [Windows, Size, dimension]);
            expected = TensorTransfer.Download(ObservedLayerStatistics.Compute(reference, pool, stacked, torch.tensor(crossSums, [Windows, Size])));
        }

        float[] actual = HostWindowStatistics.Compute(pool.ReferenceTerm, Reference, reference.Gammas, windows, crossSums, Windows, Size, dimension);

        Assert.Equal(expected.Length, actual.Length);
        for (int b = 0; b < Windows; b++)
        {
            // The statistic is a difference of terms near the kernel's scale (up to the number of bandwidths).
            Assert.InRange(actual[b * (1 + Size)] - expected[b * (1 + Size)], -2e-5f, 2e-5f);
            for (int j = 1; j <= Size; j++)
            {
                Assert.InRange(actual[b * (1 + Size) + j] - expected[b * (1 + Size) + j], -1e-5f, 1e-5f);
            }
        }
        // The shifted window's statistic is clearly above the clean one's: the comparison is not between zeros.
        Assert.True(actual[1 + Size] > actual[0] + 0.01f, $"shifted {actual[1 + Size]}, clean {actual[0]}");
    }

    [Fact]
    public void Compute_OneEventWindow_Refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => HostWindowStatistics.Compute(0, 10, [1.0], new float[3], new float[1], 1, 1, 3));

        Assert.Equal("m", error.ParamName);
    }
}
