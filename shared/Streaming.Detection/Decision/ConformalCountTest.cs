using System.Collections.Concurrent;

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

    /// <summary>Most (j, n) pairs whose <see cref="UpperShare"/> is kept; a deployment uses a handful (one per threshold and calibration size).</summary>
    public const int MaxRememberedShares = 256;

    // UpperShare is a pure function of (j, n) here and costs 60 binomial tails of n terms (about 7 ms at
    // n = 2,000), while every window asks for the same few: each is computed once.
    private static readonly ConcurrentDictionary<(int J, int N), double> Shares = new();

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
        double share = RememberedUpperShare(j, calibrationCount);
        return Math.Max(BinomialTail.AtLeast(count, pValues.Count, share), double.Epsilon);
    }

    /// <summary><see cref="UpperShare"/> at <see cref="CalibrationConfidence"/>, computed once per (j, n) (bounded: the memory is cleared past <see cref="MaxRememberedShares"/>).</summary>
    private static double RememberedUpperShare(int j, int n)
    {
        if (Shares.TryGetValue((j, n), out var share)) return share;
        share = UpperShare(j, n, CalibrationConfidence);
        if (Shares.Count >= MaxRememberedShares) Shares.Clear();
        Shares[(j, n)] = share;
        return share;
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
}
