using Streaming.Lab.Evaluation;

namespace Streaming.UnitTests.Detection;

public class EvaluationPiecesTests
{
    [Fact]
    public void Wilson_FivePercentOfHundred_MatchesPublishedInterval()
    {
        var (lower, upper) = WilsonInterval.Compute(5, 100);
        // Reference values of the Wilson score interval for 5/100 at 95 %.
        Assert.Equal(0.0215, lower, 0.0005);
        Assert.Equal(0.1118, upper, 0.0005);
    }

    [Fact]
    public void Wilson_ZeroSuccesses_LowerBoundZeroUpperPositive()
    {
        var (lower, upper) = WilsonInterval.Compute(0, 50);
        Assert.Equal(0, lower);
        Assert.InRange(upper, 0.05, 0.09);
    }

    [Fact]
    public void Auc_PerfectlySeparated_IsOne()
    {
        Assert.Equal(1.0, RocCurve.Auc([5, 6, 7], [1, 2, 3, 4]));
        Assert.Equal(0.0, RocCurve.Auc([1, 2], [5, 6]));
    }

    [Fact]
    public void Auc_IdenticalScores_IsHalf()
    {
        Assert.Equal(0.5, RocCurve.Auc([1, 1, 1], [1, 1]));
        Assert.Equal(0.5, RocCurve.Auc([1, 2, 3, 4], [1, 2, 3, 4]));
    }

    [Fact]
    public void Points_StartAtOriginEndAtOneOne()
    {
        var points = RocCurve.Points([0.9, 0.8, 0.3], [0.5, 0.1]);
        Assert.Equal((0.0, 0.0), points[0]);
        Assert.Equal((1.0, 1.0), points[^1]);
        Assert.Contains((0.0, 2.0 / 3), points);
    }
}
