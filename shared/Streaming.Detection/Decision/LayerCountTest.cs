using Streaming.Detection.Scoring;

namespace Streaming.Detection.Decision;

/// <summary>
/// The dense half of the per-input family. <see cref="ConformalCountTest"/> on the fused p-values at
/// 0.01 catches a few inputs that are each far out (PGD, BIM); a weak attack such as FGSM at eps 0.1
/// moves many inputs a little, mostly in one layer (measured on small-cnn: conv2's per-input AUC
/// 0.965, fused 0.909), and few of them reach 0.01 once the layers are fused. So this test counts, in
/// each layer, the events at p ≤ each of <see cref="DefaultThresholds"/>, each count against its
/// clean law as <see cref="ConformalCountTest"/> does, and takes the smallest tail times the number
/// of counts (Bonferroni: valid whatever the dependence between layers and thresholds).
/// Why these counts (`control evaluate --decision-only`, same population, 100 windows of 100, the
/// same windows for every variant): per layer and fused at 0.05 alone caught FGSM 0.1 at 20 % of a
/// window in 81 % of windows; per layer at 0.05 and 0.1 in 92 %, with PGD 0.3 at 5 % unchanged
/// (81 %) and clean false alarms unchanged (4 %). FGSM's inputs sit just past the 5 % point of one
/// layer, so the count at 0.1 sees more of them; the fused column never added a rejection (a small
/// fused p-value means a small p-value in some layer) and only cost Bonferroni factors (per layer
/// and fused at 0.05 and 0.1: 85 %; per layer at 0.1 alone: 91 %; at 0.15: 78 %).
/// </summary>
public static class LayerCountTest
{
    /// <summary>The default thresholds on an event's per-layer p-value: 0.05 and 0.1.</summary>
    public static IReadOnlyList<double> DefaultThresholds { get; } = [0.05, 0.1];

    /// <param name="thresholds">Thresholds of the counts; <see cref="DefaultThresholds"/> when null.</param>
    /// <returns>min(1, layers × thresholds × the smallest count tail); 1 for an empty window.</returns>
    public static double PValue(IReadOnlyList<InputScore> scores, int calibrationCount, IReadOnlyList<double>? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        thresholds ??= DefaultThresholds;
        if (thresholds.Count == 0) throw new ArgumentException("At least one threshold is required.", nameof(thresholds));
        if (scores.Count == 0) return 1.0;
        int layers = scores[0].LayerPValues.Count;
        double smallest = 1.0;
        for (int l = 0; l < layers; l++)
        {
            int layer = l;
            double[] column = [.. scores.Select(s => s.LayerPValues[layer])];
            foreach (double threshold in thresholds)
                smallest = Math.Min(smallest, ConformalCountTest.PValue(column, calibrationCount, threshold));
        }
        return Math.Min(1.0, layers * thresholds.Count * smallest);
    }
}
