namespace Streaming.Detection.Scoring;

/// <summary>
/// The calibration side of <see cref="LayerFusion.Conformal"/>: the statistic is an input's smallest
/// per-layer p-value. For calibration input j, its per-layer
/// p-values are taken leave-one-out (its rank among the other calibration inputs), which can only make
/// j look more unusual than in the exact full-conformal computation (where the tested input also
/// counts): the fused p-value of a tested input is then at least the exact one, so it stays valid.
/// </summary>
public sealed class ConformalFusion
{
    private readonly double[] _sortedNegativeStatistics;

    /// <param name="sortedCalibration">Per layer, the calibration scores in ascending order.</param>
    /// <param name="calibrationScores">Per layer, the calibration scores in input order.</param>
    public ConformalFusion(IReadOnlyList<double[]> sortedCalibration, IReadOnlyList<double[]> calibrationScores)
    {
        ArgumentNullException.ThrowIfNull(sortedCalibration);
        ArgumentNullException.ThrowIfNull(calibrationScores);
        if (sortedCalibration.Count == 0 || sortedCalibration.Count != calibrationScores.Count)
            throw new ArgumentException("One sorted and one unsorted score list per layer are required.");
        int n = calibrationScores[0].Length;
        var negative = new double[n];
        for (int j = 0; j < n; j++)
        {
            double statistic = 1;
            for (int l = 0; l < calibrationScores.Count; l++)
            {
                // #{i : s_i >= s_j} includes j itself, so it is 1 + j's count among the others.
                int atLeast = sortedCalibration[l].Length - ConformalPValue.LowerBound(sortedCalibration[l], calibrationScores[l][j]);
                statistic = Math.Min(statistic, atLeast / (n + 1.0));
            }
            negative[j] = -statistic;
        }
        Array.Sort(negative);
        _sortedNegativeStatistics = negative;
    }

    /// <summary>The fused p-value of an input whose per-layer conformal p-values are <paramref name="layerPValues"/>.</summary>
    public double PValue(ReadOnlySpan<double> layerPValues)
    {
        double statistic = 1;
        foreach (double p in layerPValues) statistic = Math.Min(statistic, p);
        return ConformalPValue.Compute(_sortedNegativeStatistics, -statistic);
    }
}
