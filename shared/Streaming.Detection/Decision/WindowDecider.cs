namespace Streaming.Detection.Decision;

/// <summary>
/// Combines the window's tests into one decision with a weighted Bonferroni correction: the window
/// alerts when some test's p-value is below alpha times its weight, the weights of the tests that
/// ran summing to one. Why Bonferroni: the MMD tests, the subset scan and the per-input counts look
/// at the same events, so their p-values are dependent in unknown ways, and Bonferroni keeps the
/// clean false-alarm rate at or below alpha whatever that dependence (weights change only where the
/// level is spent). Why these weights: an attack mixed into traffic is caught by the per-input
/// counts, not by the window-level tests (`control evaluate`, decision sweep: PGD 0.3 at 10 % of a
/// window, MMD alone 17 %, scan alone 31 %, per-input counts 100 %), so they get the largest weight.
/// Giving them 0.8 (MMD and scan 0.1 each) was measured on the same windows (2026-12-03, after
/// <see cref="LevelCountTest"/>): PGD 0.3 at 5 % 98 → 99 of 100, but DeepFool at 10 % 18 → 14 and
/// shifted clean windows alerting 79 → 47, so the window-level tests keep 0.2 each.
/// </summary>
public static class WindowDecider
{
    /// <summary>Weight of the MMD tests (combined over layers by the detector's correction).</summary>
    public const double MmdWeight = 0.2;

    /// <summary>Weight of the subset scan.</summary>
    public const double ScanWeight = 0.2;

    /// <summary>Weight of the per-input family (<see cref="LevelCountTest"/>: counts of inputs per layer at several levels).</summary>
    public const double InputWeight = 0.6;

    /// <param name="inputPValue">The per-input family's p-value (<see cref="LevelCountTest"/>); null when no per-input scores ran.</param>
    public static WindowDecision Decide(double mmdPValue, double? scanPValue, double? inputPValue, double alpha)
    {
        if (!(alpha > 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must lie in (0, 1).");

        var mmd = Clamp(mmdPValue);
        double? scan = scanPValue is { } s ? Clamp(s) : null;
        double? inputs = inputPValue is { } i ? Clamp(i) : null;

        var tests = new List<(double P, double Weight)> { (mmd, MmdWeight) };
        if (scan is { } scanP) tests.Add((scanP, ScanWeight));
        if (inputs is { } inputP) tests.Add((inputP, InputWeight));
        var total = tests.Sum(t => t.Weight);
        var combined = Math.Min(1.0, tests.Min(t => t.P * total / t.Weight));
        return new WindowDecision(mmd, scan, inputs, combined, tests.Count, combined < alpha);
    }

    // A p-value that is not a finite number claims nothing: it is read as 1, never as evidence.
    private static double Clamp(double p) => !double.IsFinite(p) || p < 0 ? 1.0 : Math.Clamp(p, double.Epsilon, 1.0);
}
