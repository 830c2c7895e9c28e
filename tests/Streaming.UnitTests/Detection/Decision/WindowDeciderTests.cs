using Streaming.Detection.Decision;
using Streaming.Lab.Evaluation;

namespace Streaming.UnitTests.Detection.Decision;

public sealed class WindowDeciderTests
{
    [Fact]
    public void Decide_OnlyMmd_CombinedIsTheMmdPValue()
    {
        var decision = WindowDecider.Decide(0.03, null, null, 0.05);

        Assert.Equal(1, decision.Families);
        Assert.Equal(0.03, decision.CombinedPValue);
        Assert.True(decision.Alert);
    }

    [Fact]
    public void Decide_AllTests_WeightedBonferroniOverTheSmallestRatio()
    {
        var decision = WindowDecider.Decide(0.4, 0.2, 0.012, 0.05);

        Assert.Equal(3, decision.Families);
        // 0.012 / 0.6 = 0.02, below MMD's 0.4 / 0.2 and the scan's 0.2 / 0.2.
        Assert.Equal(0.02, decision.CombinedPValue, 12);
        Assert.Equal(0.012, decision.InputPValue!.Value, 12);
        Assert.True(decision.Alert);
    }

    [Fact]
    public void Decide_MmdAndScanOnly_WeightsRenormalised()
    {
        var decision = WindowDecider.Decide(0.02, 0.3, null, 0.05);

        Assert.Equal(2, decision.Families);
        Assert.Null(decision.InputPValue);
        Assert.Equal(0.04, decision.CombinedPValue, 12);
        Assert.True(decision.Alert);
    }

    [Fact]
    public void Decide_NonFiniteFamilyPValues_ReadAsOneNeverAsEvidence()
    {
        var decision = WindowDecider.Decide(double.NaN, double.NegativeInfinity, -1, 0.05);

        Assert.Equal(1.0, decision.CombinedPValue);
        Assert.False(decision.Alert);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Decide_CleanWindows_FalseAlarmRateAtMostAlpha(bool dependent)
    {
        // Uniform family p-values, independent or all equal (the worst case for Bonferroni is
        // disjoint rejection regions; both must stay at or below alpha).
        var random = new Random(20261203);
        const int windows = 20_000;
        var alarms = 0;
        for (var w = 0; w < windows; w++)
        {
            var mmd = random.NextDouble();
            var scan = dependent ? mmd : random.NextDouble();
            var inputs = dependent ? mmd : random.NextDouble();
            if (WindowDecider.Decide(mmd, scan, inputs, 0.05).Alert) alarms++;
        }

        var interval = WilsonInterval.Compute(alarms, windows);
        Assert.True(interval.Lower <= 0.05, $"false-alarm rate {alarms / (double)windows:P2}, interval [{interval.Lower:P2}, {interval.Upper:P2}]");
    }

    [Fact]
    public void Decide_AlphaOutsideZeroOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WindowDecider.Decide(0.5, null, null, 1.5));
}
