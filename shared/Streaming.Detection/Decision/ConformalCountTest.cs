namespace Streaming.Detection.Decision;

/// <summary>
/// The per-input family of the window decision: how many of the window's events have a conformal
/// p-value at or below t = j/(n_cal + 1), against the law that count has on clean traffic. Given the
/// calibration split, clean events' p-values are independent and each is ≤ t with probability π, the
/// share of clean inputs beyond the j-th largest calibration score, and π ~ Beta(j, n_cal + 1 − j)
/// over calibration draws. A deployment runs with one split, so the test holds for that split: it
/// takes π at its upper 95 % bound (<see cref="CalibrationConfidence"/>) and the count's Binomial(m, π)
/// tail, which keeps the false-alarm rate at or below alpha for 95 % of calibration draws (a
/// calibration-conditional guarantee; ties only make the count smaller). Why a count and not Simes:
/// an attack mixed into traffic gives many events that are each clearly unusual (p ≈ 0.005) rather
/// than a few beyond every calibration input; Simes needs the latter (with n_cal = 1,000 and 10 of 100
/// events it needs each at p ≤ 0.0017), the count only that t catches them: 10 events at p ≤ 0.01
/// among 100 have a tail near 1e-6.
/// </summary>
public static class ConformalCountTest
{
    /// <summary>The default threshold on an event's p-value: 0.01.</summary>
    public const double DefaultThreshold = 0.01;

    /// <summary>Share of calibration draws for which the count test is valid at its level.</summary>
    public const double CalibrationConfidence = 0.95;

    /// <returns>P(K ≥ observed count) on clean traffic, in (0, 1].</returns>
    public static double PValue(IReadOnlyList<double> pValues, int calibrationCount, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        ArgumentOutOfRangeException.ThrowIfLessThan(calibrationCount, 1);
        if (!(threshold > 0 && threshold < 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold lies in (0, 1).");
        if (pValues.Count == 0) return 1.0;

        // t = j/(n+1) on the p-values' own grid, at least one step.
        int j = Math.Max(1, (int)Math.Floor(threshold * (calibrationCount + 1)));
        double cut = j / (calibrationCount + 1.0);
        int count = pValues.Count(p => p <= cut * (1 + 1e-12));
        double share = UpperShare(j, calibrationCount, CalibrationConfidence);
        return Math.Max(BinomialTail.AtLeast(count, pValues.Count, share), double.Epsilon);
    }

    /// <summary>
    /// The <paramref name="confidence"/> quantile of Beta(j, n + 1 − j), found by bisection on
    /// P(Beta(j, n + 1 − j) ≤ x) = P(Binomial(n, x) ≥ j).
    /// </summary>
    public static double UpperShare(int j, int n, double confidence)
    {
        double lo = 0, hi = 1;
        for (int i = 0; i < 60; i++)
        {
            double mid = (lo + hi) / 2;
            if (BinomialTail.AtLeast(j, n, mid) < confidence) lo = mid; else hi = mid;
        }
        return hi;
    }

    /// <summary>P(K ≥ k) for K ~ Beta-binomial(n, a, b).</summary>
    public static double BetaBinomialAtLeast(int k, int n, double a, double b)
    {
        if (k <= 0) return 1.0;
        if (k > n) return 0.0;
        double logBetaAB = LogBeta(a, b);
        double total = 0;
        for (int i = k; i <= n; i++)
            total += Math.Exp(LogChoose(n, i) + LogBeta(i + a, n - i + b) - logBetaAB);
        return Math.Clamp(total, double.Epsilon, 1.0);
    }

    private static double LogChoose(int n, int k) => LogGamma(n + 1.0) - LogGamma(k + 1.0) - LogGamma(n - k + 1.0);

    private static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7, n = 9; relative error below 1e-13).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        x -= 1;
        double sum = Lanczos[0];
        for (int i = 1; i < Lanczos.Length; i++) sum += Lanczos[i] / (x + i);
        double t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    ];
}
