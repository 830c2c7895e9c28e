namespace Streaming.Detection.Decision;

/// <summary>Upper tail of the binomial distribution, and the Beta quantile it gives by inversion.</summary>
public static class BinomialTail
{
    /// <summary>P(X ≥ k) for X ~ Binomial(n, p), summed in log space so no term under- or overflows.</summary>
    public static double AtLeast(int k, int n, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "A probability lies in [0, 1].");
        if (k <= 0) return 1.0;
        if (k > n) return 0.0;
        if (p == 0) return 0.0;
        if (p == 1) return 1.0;

        double logP = Math.Log(p), logQ = Math.Log(1 - p), total = 0;
        double logChoose = LogChoose(n, k);
        for (int i = k; i <= n; i++)
        {
            total += Math.Exp(logChoose + (i * logP) + ((n - i) * logQ));
            logChoose += Math.Log(n - i) - Math.Log(i + 1.0);
        }
        return Math.Min(1.0, total);
    }

    /// <summary>
    /// The <paramref name="confidence"/> quantile of Beta(j, n + 1 − j) — the upper bound on the clean share
    /// of inputs beyond the j-th largest of n calibration scores — found by bisection on
    /// P(Beta(j, n + 1 − j) ≤ x) = P(Binomial(n, x) ≥ j).
    /// </summary>
    public static double UpperShare(int j, int n, double confidence)
    {
        double lo = 0, hi = 1;
        for (int i = 0; i < 60; i++)
        {
            double mid = (lo + hi) / 2;
            if (AtLeast(j, n, mid) < confidence) lo = mid; else hi = mid;
        }
        return hi;
    }

    private static double LogChoose(int n, int k)
    {
        double value = 0;
        for (int i = 1; i <= k; i++) value += Math.Log(n - k + i) - Math.Log(i);
        return value;
    }
}
