using Streaming.Detection;

namespace Streaming.UnitTests.Detection;

public class MultipleTestingTests
{
    [Theory]
    [InlineData(new[] { 0.01, 0.04, 0.2 }, 0.03)]
    [InlineData(new[] { 0.02, 0.025, 0.5 }, 0.06)]
    [InlineData(new[] { 0.5, 0.9 }, 1.0)]
    [InlineData(new[] { 0.3 }, 0.3)]
    public void Bonferroni_HandComputed(double[] pValues, double expected)
    {
        Assert.Equal(expected, MultipleTesting.Bonferroni(pValues), 12);
    }

    [Theory]
    [InlineData(new[] { 0.01, 0.04, 0.2 }, 0.03)]
    [InlineData(new[] { 0.02, 0.025, 0.5 }, 0.0375)]
    [InlineData(new[] { 0.5, 0.9 }, 0.9)]
    [InlineData(new[] { 0.04, 0.04, 0.04, 0.04 }, 0.04)]
    public void Simes_HandComputed(double[] pValues, double expected)
    {
        Assert.Equal(expected, MultipleTesting.Simes(pValues), 12);
    }

    [Fact]
    public void Fisher_ThreeLayers_MatchesHandComputedChiSquare()
    {
        // X = -2(ln .01 + ln .04 + ln .2) = 18.866968; P(χ²₆ > X) = e^{-X/2}(1 + X/2 + (X/2)²/2).
        Assert.Equal(0.004394303471102369, MultipleTesting.Fisher([0.01, 0.04, 0.2]), 12);
    }

    [Fact]
    public void Fisher_SingleLayer_ReturnsThePValue()
    {
        // With one layer, -2 ln p ~ χ²₂ and P(χ²₂ > -2 ln p) = p.
        Assert.Equal(0.037, MultipleTesting.Fisher([0.037]), 12);
    }

    [Theory]
    [InlineData(5.991464547, 2, 0.05)]
    [InlineData(9.487729037, 4, 0.05)]
    [InlineData(18.30703805, 10, 0.05)]
    [InlineData(23.20925116, 10, 0.01)]
    [InlineData(0.0, 6, 1.0)]
    public void ChiSquareSurvivalEvenDegrees_MatchesTableValues(double x, int degrees, double expected)
    {
        Assert.Equal(expected, MultipleTesting.ChiSquareSurvivalEvenDegrees(x, degrees), 8);
    }

    [Fact]
    public void ChiSquareSurvivalEvenDegrees_OddDegrees_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MultipleTesting.ChiSquareSurvivalEvenDegrees(1.0, 3));
    }

    [Theory]
    [InlineData(CorrectionMethod.Bonferroni)]
    [InlineData(CorrectionMethod.Fisher)]
    [InlineData(CorrectionMethod.Simes)]
    public void Combine_InvalidPValue_Throws(CorrectionMethod method)
    {
        Assert.Throws<ArgumentException>(() => MultipleTesting.Combine(method, [0.1, 1.5]));
        Assert.Throws<ArgumentException>(() => MultipleTesting.Combine(method, [double.NaN]));
        Assert.Throws<ArgumentException>(() => MultipleTesting.Combine(method, []));
    }

    [Fact]
    public void RejectedLayers_Bonferroni_UsesAlphaOverL()
    {
        Assert.Equal([true, false, false], MultipleTesting.RejectedLayers(CorrectionMethod.Bonferroni, [0.01, 0.02, 0.9], 0.05));
    }

    [Fact]
    public void RejectedLayers_Simes_IsStepUpSet()
    {
        // Sorted: 0.02 ≥ 0.05·1/3, but 0.025 < 0.05·2/3, so the step-up rejects the two smallest.
        Assert.Equal([true, false, true], MultipleTesting.RejectedLayers(CorrectionMethod.Simes, [0.02, 0.5, 0.025], 0.05));
    }
}
