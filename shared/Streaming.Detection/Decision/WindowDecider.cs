namespace Streaming.Detection.Decision;

/// <summary>
/// Combines the window's test families into one decision. Why Bonferroni across families: the MMD
/// tests, the subset scan and the per-input scores look at the same events, so their p-values are
/// dependent in unknown ways; Bonferroni needs no assumption about that, and with three families it
/// costs a factor of three on the smallest p-value, which the families' own resolution (1/(P+1),
/// 1/(n_null+1)) is set to absorb; the per-input family is <see cref="ConformalCountTest"/>.
/// </summary>
public static class WindowDecider
{
    /// <param name="inputPValue">The per-input family's p-value (<see cref="ConformalCountTest"/>); null when no per-input scores ran.</param>
    public static WindowDecision Decide(double mmdPValue, double? scanPValue, double? inputPValue, double alpha)
    {
        if (!(alpha > 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must lie in (0, 1).");

        var mmd = Clamp(mmdPValue);
        double? scan = scanPValue is { } s ? Clamp(s) : null;
        double? inputs = inputPValue is { } i ? Clamp(i) : null;

        var families = 1 + (scan is null ? 0 : 1) + (inputs is null ? 0 : 1);
        var smallest = Math.Min(mmd, Math.Min(scan ?? 1, inputs ?? 1));
        var combined = Math.Min(1.0, families * smallest);
        return new WindowDecision(mmd, scan, inputs, combined, families, combined < alpha);
    }

    // A p-value that is not a finite number claims nothing: it is read as 1, never as evidence.
    private static double Clamp(double p) => !double.IsFinite(p) || p < 0 ? 1.0 : Math.Clamp(p, double.Epsilon, 1.0);
}
