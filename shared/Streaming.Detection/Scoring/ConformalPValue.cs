namespace Streaming.Detection.Scoring;

/// <summary>
/// Split-conformal p-value of a nonconformity score against the scores of a held-out calibration
/// split: p = (1 + #{calibration scores ≥ s}) / (n_cal + 1). When the tested input and the calibration
/// inputs are exchangeable (clean traffic from the calibrated source), P(p ≤ u) ≤ u for every u:
/// the p-value is super-uniform, and uniform up to the 1/(n_cal + 1) grid when scores have no ties.
/// Ties count against the input (≥), which keeps the guarantee.
/// </summary>
public static class ConformalPValue
{
    /// <param name="sortedCalibration">Calibration scores in ascending order.</param>
    public static double Compute(ReadOnlySpan<double> sortedCalibration, double score)
    {
        if (sortedCalibration.IsEmpty)
        {
            throw new ArgumentException("Conformal p-values need at least one calibration score.", nameof(sortedCalibration));
        }
        if (double.IsNaN(score))
        {
            throw new ArgumentException("The nonconformity score is NaN.", nameof(score));
        }
        int below = LowerBound(sortedCalibration, score);
        int atLeast = sortedCalibration.Length - below;
        return (1.0 + atLeast) / (sortedCalibration.Length + 1.0);
    }

    /// <summary>Smallest p-value this calibration size can give: 1 / (n_cal + 1).</summary>
    public static double Smallest(int calibrationCount) => 1.0 / (calibrationCount + 1.0);

    /// <summary>Index of the first element of <paramref name="sorted"/> that is at least <paramref name="value"/>.</summary>
    internal static int LowerBound(ReadOnlySpan<double> sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
