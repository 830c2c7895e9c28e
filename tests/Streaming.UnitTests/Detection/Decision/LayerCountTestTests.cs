using Streaming.Detection.Decision;
using Streaming.Lab.Evaluation;
using Streaming.Detection.Scoring;

namespace Streaming.UnitTests.Detection.Decision;

public sealed class LayerCountTestTests
{
    private const int Calibration = 2000;

    [Fact]
    public void PValue_ManyInputsALittleOutInOneLayer_SmallThoughFewAreFarOut()
    {
        // 30 of 100 events at p = 0.03 in the second layer only, ordinary elsewhere: the fused
        // count at 0.01 sees nothing, the layer's count at 0.05 does.
        var random = new Random(5);
        var scores = Enumerable.Range(0, 100).Select(i => Score(random, i < 30 ? 0.03 : null)).ToList();

        Assert.True(ConformalCountTest.PValue([.. scores.Select(s => s.FusedPValue)], Calibration) > 0.05);
        Assert.True(LayerCountTest.PValue(scores, Calibration) < 1e-4);
    }

    [Fact]
    public void PValue_ManyInputsJustPastTheFivePercentPoint_CaughtByTheTenPercentCount()
    {
        // 25 of 100 events at p = 0.08 in the second layer: the count at 0.05 alone sees nothing
        // beyond the clean share, the count at 0.1 sees 25 extra events.
        var random = new Random(6);
        var scores = Enumerable.Range(0, 100).Select(i => Score(random, i < 25 ? 0.08 : null)).ToList();

        Assert.True(LayerCountTest.PValue(scores, Calibration, [0.05]) > 0.05);
        Assert.True(LayerCountTest.PValue(scores, Calibration) < 1e-4);
    }

    [Fact]
    public void PValue_MoreThresholds_BonferroniOverEveryCount()
    {
        // The same threshold twice gives the same smallest tail, counted twice by Bonferroni.
        var random = new Random(8);
        var scores = Enumerable.Range(0, 100).Select(i => Score(random, i < 15 ? 0.03 : null)).ToList();
        var single = LayerCountTest.PValue(scores, Calibration, [0.05]);
        var both = LayerCountTest.PValue(scores, Calibration, [0.05, 0.05]);

        Assert.InRange(single, 1e-12, 0.01);
        Assert.Equal(2 * single, both, 12);
    }

    [Fact]
    public void PValue_SmallFusedPValuesWithOrdinaryLayers_NotCounted()
    {
        // Only the layers are counted: a fused p-value is small only through a small layer p-value.
        var random = new Random(10);
        var scores = Enumerable.Range(0, 100).Select(_ => Score(random, null) with { FusedPValue = 0.001 }).ToList();

        Assert.True(LayerCountTest.PValue(scores, Calibration) > 0.05);
    }

    [Fact]
    public void PValue_NoThresholds_Throws() =>
        Assert.Throws<ArgumentException>(() => LayerCountTest.PValue([Score(new Random(1), null)], Calibration, []));

    [Fact]
    public void PValue_UniformPValues_FalseRejectionRateAtMostAlpha()
    {
        var random = new Random(9);
        const int windows = 4000;
        var rejections = 0;
        for (var w = 0; w < windows; w++)
        {
            var scores = Enumerable.Range(0, 100).Select(_ => Score(random, null)).ToList();
            if (LayerCountTest.PValue(scores, Calibration) <= 0.05) rejections++;
        }

        var (lower, upper) = WilsonInterval.Compute(rejections, windows);
        Assert.True(lower <= 0.05, $"false-rejection rate {rejections / (double)windows:P2} [{lower:P2}, {upper:P2}]");
    }

    [Fact]
    public void PValue_EmptyWindow_One() => Assert.Equal(1.0, LayerCountTest.PValue([], Calibration));

    // Four layers of uniform p-values on the calibration grid; the second layer at `second` when given.
    private static InputScore Score(Random random, double? second)
    {
        double Grid() => Math.Ceiling(random.NextDouble() * (Calibration + 1)) / (Calibration + 1);
        double[] layers = [Grid(), second ?? Grid(), Grid(), Grid()];
        var fused = Math.Min(1.0, layers.Min() * layers.Length);
        return new InputScore([0, 0, 0, 0], layers, fused, 0, "conv1", null, null, null, null, null, false);
    }
}
