using Streaming.Detection.Decision;
using Streaming.Lab.Evaluation;

namespace Streaming.UnitTests.Detection.Decision;

public sealed class ConformalCountTestTests
{
    [Fact]
    public void UpperShare_MedianAndUpperQuantileOfBeta()
    {
        // Beta(1, 1) is uniform: its 0.95 quantile is 0.95; Beta(10, 991) has mean 0.00999.
        Assert.Equal(0.95, ConformalCountTest.UpperShare(1, 1, 0.95), 6);
        var upper = ConformalCountTest.UpperShare(10, 1000, 0.95);
        Assert.InRange(upper, 0.0140, 0.0170);
    }

    [Fact]
    public void PValue_ManyCallsOverManyCalibrationSizes_EqualToComputingTheShareEachTime()
    {
        // The share is remembered per (j, n), and forgotten past MaxRememberedShares pairs: every call,
        // first or repeated, before or after the memory was cleared, gives the computed tail exactly.
        var random = new Random(73);
        for (var call = 0; call < 3 * ConformalCountTest.MaxRememberedShares; call++)
        {
            var n = 50 + (call * 7919 % 400);
            var threshold = call % 2 == 0 ? 0.01 : 0.1;
            var p = Enumerable.Range(0, 60).Select(_ => (1 + random.Next(n + 1)) / (n + 1.0)).ToArray();
            var j = Math.Max(1, (int)Math.Floor(threshold * (n + 1)));
            var count = p.Count(v => v <= j / (n + 1.0) * (1 + 1e-12));
            var expected = Math.Max(BinomialTail.AtLeast(count, p.Length, ConformalCountTest.UpperShare(j, n, ConformalCountTest.CalibrationConfidence)), double.Epsilon);

            Assert.Equal(expected, ConformalCountTest.PValue(p, n, threshold));
        }
    }

    [Fact]
    public void PValue_TenEventsBeyondTheOnePercentPoint_Tiny()
    {
        var p = Enumerable.Repeat(0.5, 90).Concat(Enumerable.Repeat(0.005, 10)).ToArray();

        Assert.True(ConformalCountTest.PValue(p, 1000) < 1e-4);
    }

    [Fact]
    public void PValue_CleanWindowsAgainstFreshCalibrationSplits_FalseRejectionRateAtMostAlpha()
    {
        // The whole procedure, calibration draw included: scores are standard normal, every window
        // gets conformal p-values against its own fresh split of 1,000, the count test at 0.05.
        var random = new Random(71);
        const int windows = 3000;
        var rejections = 0;
        var calibration = new double[1000];
        for (var w = 0; w < windows; w++)
        {
            for (var i = 0; i < calibration.Length; i++) calibration[i] = Normal(random);
            Array.Sort(calibration);
            var p = Enumerable.Range(0, 100).Select(_ => Conformal(calibration, Normal(random))).ToArray();
            if (ConformalCountTest.PValue(p, calibration.Length) <= 0.05) rejections++;
        }

        var (lower, upper) = WilsonInterval.Compute(rejections, windows);
        Assert.True(lower <= 0.05, $"rate {rejections / (double)windows:P2} [{lower:P2}, {upper:P2}]");
    }

    private static double Conformal(double[] sorted, double score)
    {
        var below = Array.BinarySearch(sorted, score);
        if (below < 0) below = ~below;
        return (1.0 + sorted.Length - below) / (sorted.Length + 1.0);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
