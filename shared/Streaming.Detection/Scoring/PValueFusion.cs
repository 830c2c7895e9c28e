namespace Streaming.Detection.Scoring;

/// <summary>
/// Fuses the per-layer p-values of one input with Bonferroni, min(1, L · min p). The layers of one
/// input are strongly dependent (each is computed from the one before), so the fusion must hold
/// under any dependence: Bonferroni does, exactly, by the union bound. Fisher assumes independent
/// layers and would reject far too often. The Cauchy combination was considered and not taken: its
/// validity under dependence is a tail approximation, and conformal p-values reach exactly 1 (an
/// input closer to the reference than every calibration input), where tan((½ − p)π) is −∞ and one
/// such layer cancels the evidence of all others. With L = 4 layers Bonferroni costs a factor 4 on
/// the smallest p, and it names the layer behind the decision.
/// </summary>
public static class PValueFusion
{
    /// <returns>The fused p-value and the index of the layer with the smallest p-value (the first on ties).</returns>
    public static (double PValue, int Layer) Bonferroni(ReadOnlySpan<double> pValues)
    {
        if (pValues.IsEmpty)
        {
            throw new ArgumentException("At least one p-value is required.", nameof(pValues));
        }
        double smallest = double.PositiveInfinity;
        int layer = -1;
        for (int l = 0; l < pValues.Length; l++)
        {
            double p = pValues[l];
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException($"P-value {p} of layer {l} is outside [0, 1].", nameof(pValues));
            }
            if (p < smallest)
            {
                smallest = p;
                layer = l;
            }
        }
        return (Math.Min(1.0, pValues.Length * smallest), layer);
    }
}
