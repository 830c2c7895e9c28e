namespace Streaming.Lab.Evaluation;

/// <summary>ROC curve and AUC of scores where higher means "more likely positive".</summary>
public static class RocCurve
{
    /// <summary>
    /// AUC = P(score of a positive &gt; score of a negative) + ½ P(tie) (the Mann–Whitney statistic).
    /// 1 for perfectly separated scores, ½ for identical ones.
    /// </summary>
    public static double Auc(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        Validate(positives, negatives);
        double[] sortedNegatives = [.. negatives.Order()];
        double wins = 0;
        foreach (double score in positives)
        {
            int below = LowerBound(sortedNegatives, score);
            int notAbove = UpperBound(sortedNegatives, score);
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double)positives.Count * negatives.Count);
    }

    /// <returns>(false-positive rate, true-positive rate) points from (0,0) to (1,1), one per distinct threshold.</returns>
    public static IReadOnlyList<(double FalsePositiveRate, double TruePositiveRate)> Points(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        Validate(positives, negatives);
        var thresholds = positives.Concat(negatives).Distinct().OrderDescending().ToArray();
        var points = new List<(double, double)> { (0, 0) };
        foreach (double threshold in thresholds)
        {
            double tpr = positives.Count(s => s >= threshold) / (double)positives.Count;
            double fpr = negatives.Count(s => s >= threshold) / (double)negatives.Count;
            points.Add((fpr, tpr));
        }
        if (points[^1] != (1.0, 1.0))
        {
            points.Add((1, 1));
        }
        return points;
    }

    private static void Validate(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        ArgumentNullException.ThrowIfNull(positives);
        ArgumentNullException.ThrowIfNull(negatives);
        if (positives.Count == 0 || negatives.Count == 0)
        {
            throw new ArgumentException($"A ROC curve needs positives and negatives (got {positives.Count} and {negatives.Count}).");
        }
        if (positives.Concat(negatives).Any(double.IsNaN))
        {
            throw new ArgumentException("Scores must not be NaN.");
        }
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid] <= value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
