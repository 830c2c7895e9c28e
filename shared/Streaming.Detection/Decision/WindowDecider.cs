namespace Streaming.Detection.Decision;

/// <summary>
/// Combines the window's tests into one decision with a weighted Bonferroni correction: the window
/// alerts when some test's p-value is below alpha times its weight, the weights of the tests that
/// ran summing to one. Why Bonferroni: the MMD tests, the subset scan and the per-input counts look
/// at the same events, so their p-values are dependent in unknown ways, and Bonferroni keeps the
/// clean false-alarm rate at or below alpha whatever that dependence (weights change only where the
/// level is spent). Why these weights: an attack mixed into traffic is caught by the per-input
/// counts, not by the window-level tests (`control evaluate`, decision sweep: PGD 0.3 at 10 % of a
/// window, MMD alone 15 %, scan alone 33 %, per-input count 100 %); the count of inputs far out
/// needs its level most (five PGD inputs among 100 give a tail of 0.014 against the calibration's
/// upper share), so it gets the largest weight, the window-level tests the smallest.
/// </summary>
public static class WindowDecider
{
    /// <summary>Weight of the MMD tests (combined over layers by the detector's correction).</summary>
    public const double MmdWeight = 0.2;

    /// <summary>Weight of the subset scan.</summary>
    public const double ScanWeight = 0.2;

    /// <summary>Weight of <see cref="ConformalCountTest"/> on the fused p-values: a few inputs far out.</summary>
    public const double FewFarOutWeight = 0.35;

    /// <summary>Weight of <see cref="LayerCountTest"/>: many inputs a little out, in one layer.</summary>
    public const double ManyLittleOutWeight = 0.25;

    /// <param name="fewFarOut">The per-input count of inputs far out (<see cref="ConformalCountTest"/>); null when no per-input scores ran.</param>
    /// <param name="manyLittleOut">The per-layer counts (<see cref="LayerCountTest"/>); null when no per-input scores ran.</param>
    public static WindowDecision Decide(double mmdPValue, double? scanPValue, double? fewFarOut, double? manyLittleOut, double alpha)
    {
        if (!(alpha > 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must lie in (0, 1).");

        var mmd = Clamp(mmdPValue);
        double? scan = scanPValue is { } s ? Clamp(s) : null;
        double? far = fewFarOut is { } f ? Clamp(f) : null;
        double? little = manyLittleOut is { } l ? Clamp(l) : null;

        var tests = new List<(double P, double Weight)> { (mmd, MmdWeight) };
        if (scan is { } scanP) tests.Add((scanP, ScanWeight));
        if (far is { } farP) tests.Add((farP, FewFarOutWeight));
        if (little is { } littleP) tests.Add((littleP, ManyLittleOutWeight));
        var total = tests.Sum(t => t.Weight);
        var combined = Math.Min(1.0, tests.Min(t => t.P * total / t.Weight));

        // The per-input family's own p-value: its two counts under the same weights, renormalised.
        double? inputs = null;
        if (far is not null || little is not null)
        {
            var inputTotal = (far is null ? 0 : FewFarOutWeight) + (little is null ? 0 : ManyLittleOutWeight);
            inputs = Math.Min(1.0, Math.Min(
                far is { } fp ? fp * inputTotal / FewFarOutWeight : double.PositiveInfinity,
                little is { } lp ? lp * inputTotal / ManyLittleOutWeight : double.PositiveInfinity));
        }
        return new WindowDecision(mmd, scan, inputs, combined, tests.Count, combined < alpha);
    }

    // A p-value that is not a finite number claims nothing: it is read as 1, never as evidence.
    private static double Clamp(double p) => !double.IsFinite(p) || p < 0 ? 1.0 : Math.Clamp(p, double.Epsilon, 1.0);
}
