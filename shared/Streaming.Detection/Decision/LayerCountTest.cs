using Streaming.Detection.Scoring;

namespace Streaming.Detection.Decision;

/// <summary>
/// The dense half of the per-input family. <see cref="ConformalCountTest"/> on the fused p-values at
/// 0.01 catches a few inputs that are each far out (PGD, BIM); a weak attack such as FGSM at eps 0.1
/// moves many inputs a little, mostly in one layer (measured on small-cnn: conv2's per-input AUC
/// 0.965, fused 0.909), and few of them reach 0.01 once the layers are fused. So this test counts, in
/// each layer and in the fused p-values, the events at p ≤ <see cref="DefaultThreshold"/>, each count
/// against its clean law as <see cref="ConformalCountTest"/> does, and takes the smallest tail times
/// the number of counts (Bonferroni: valid whatever the dependence between layers).
/// </summary>
public static class LayerCountTest
{
    /// <summary>The default threshold on an event's per-layer or fused p-value: 0.05.</summary>
    public const double DefaultThreshold = 0.05;

    /// <returns>min(1, (layers + 1) × the smallest count tail); 1 for an empty window.</returns>
    public static double PValue(IReadOnlyList<InputScore> scores, int calibrationCount, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0) return 1.0;
        int layers = scores[0].LayerPValues.Count;
        double smallest = ConformalCountTest.PValue([.. scores.Select(s => s.FusedPValue)], calibrationCount, threshold);
        for (int l = 0; l < layers; l++)
        {
            int layer = l;
            smallest = Math.Min(smallest, ConformalCountTest.PValue([.. scores.Select(s => s.LayerPValues[layer])], calibrationCount, threshold));
        }
        return Math.Min(1.0, (layers + 1) * smallest);
    }
}
