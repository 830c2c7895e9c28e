namespace Streaming.Detection;

public static class MultipleTesting
{
    public static double Combine(CorrectionMethod method, IReadOnlyList<double> pValues) => method switch
    {
        CorrectionMethod.Bonferroni => Bonferroni(pValues),
        CorrectionMethod.Fisher => Fisher(pValues),
        CorrectionMethod.Simes => Simes(pValues),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown correction method."),
    };

    public static double Bonferroni(IReadOnlyList<double> pValues)
    {
        Validate(pValues);
        return Math.Min(1.0, pValues.Count * pValues.Min());
    }

    public static double Fisher(IReadOnlyList<double> pValues)
    {
        Validate(pValues);
        double statistic = 0;
        foreach (double p in pValues)
        {
            statistic -= 2.0 * Math.Log(p);
        }
        return ChiSquareSurvivalEvenDegrees(statistic, 2 * pValues.Count);
    }

    public static double Simes(IReadOnlyList<double> pValues)
    {
        Validate(pValues);
        double[] sorted = [.. pValues.Order()];
        double combined = 1.0;
        for (int i = 0; i < sorted.Length; i++)
        {
            combined = Math.Min(combined, sorted.Length * sorted[i] / (i + 1));
        }
        return combined;
    }

    /// <summary>
    /// P(χ²_k > x) for even k = 2L, in closed form: e^{-x/2} Σ_{j=0}^{L-1} (x/2)^j / j!
    /// (the Poisson(x/2) probability of fewer than L events). Terms are built incrementally so no
    /// factorial or power overflows.
    /// </summary>
    public static double ChiSquareSurvivalEvenDegrees(double x, int degreesOfFreedom)
    {
        if (degreesOfFreedom < 2 || degreesOfFreedom % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "Degrees of freedom must be even and at least 2.");
        }
        if (double.IsNaN(x))
        {
            throw new ArgumentException("The chi-square statistic is NaN.", nameof(x));
        }
        if (x <= 0)
        {
            return 1.0;
        }
        if (double.IsPositiveInfinity(x))
        {
            return 0.0;
        }

        double half = x / 2.0;
        double term = Math.Exp(-half);
        double sum = term;
        for (int j = 1; j < degreesOfFreedom / 2; j++)
        {
            term *= half / j;
            sum += term;
        }
        return Math.Min(1.0, sum);
    }

    /// <summary>
    /// The Benjamini–Hochberg step-up set at level <paramref name="alpha"/>: every p-value at or
    /// below the largest p_(i) with p_(i) &lt; alpha·i/m. Non-empty exactly when Simes rejects; the
    /// expected share of false discoveries among the set is at most alpha (independent or PRDS p-values).
    /// </summary>
    public static bool[] BenjaminiHochberg(IReadOnlyList<double> pValues, double alpha)
    {
        Validate(pValues);
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must lie in (0, 1).");
        }

        int count = pValues.Count;
        double[] sorted = [.. pValues.Order()];
        double threshold = double.NegativeInfinity;
        for (int i = 0; i < count; i++)
        {
            if (sorted[i] < alpha * (i + 1) / count)
            {
                threshold = sorted[i];
            }
        }
        var rejected = new bool[count];
        for (int i = 0; i < count; i++)
        {
            rejected[i] = pValues[i] <= threshold;
        }
        return rejected;
    }

    /// <summary>
    /// Which layers count as rejected at level alpha. Bonferroni and Fisher: p &lt; alpha/L
    /// (Fisher has no per-layer decomposition, so it borrows Bonferroni's). Simes: the
    /// Benjamini–Hochberg step-up set, which is non-empty exactly when the Simes test rejects.
    /// </summary>
    public static bool[] RejectedLayers(CorrectionMethod method, IReadOnlyList<double> pValues, double alpha)
    {
        Validate(pValues);
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must lie in (0, 1).");
        }

        int count = pValues.Count;
        var rejected = new bool[count];
        if (method == CorrectionMethod.Simes)
        {
            return BenjaminiHochberg(pValues, alpha);
        }

        for (int i = 0; i < count; i++)
        {
            rejected[i] = pValues[i] < alpha / count;
        }
        return rejected;
    }

    private static void Validate(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        if (pValues.Count == 0)
        {
            throw new ArgumentException("At least one p-value is required.", nameof(pValues));
        }
        foreach (double p in pValues)
        {
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException($"P-value {p} is outside [0, 1].", nameof(pValues));
            }
        }
    }
}
