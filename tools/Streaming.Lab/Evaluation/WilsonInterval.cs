namespace Streaming.Lab.Evaluation;

/// <summary>Wilson score interval of a binomial proportion: sound near 0 and 1, where the normal approximation is not.</summary>
public static class WilsonInterval
{
    /// <param name="z">Normal quantile; 1.96 for 95 %.</param>
    public static (double Lower, double Upper) Compute(int successes, int trials, double z = 1.959963984540054)
    {
        if (trials < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(trials), trials, "The Wilson interval needs at least one trial.");
        }
        if (successes < 0 || successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"Successes must lie in [0, {trials}].");
        }
        double p = successes / (double)trials;
        double z2 = z * z;
        double denominator = 1 + z2 / trials;
        double centre = (p + z2 / (2.0 * trials)) / denominator;
        double half = z * Math.Sqrt(p * (1 - p) / trials + z2 / (4.0 * trials * trials)) / denominator;
        // At 0 or n successes the bound is exactly 0 or 1; the formula leaves rounding residue there.
        return (successes == 0 ? 0 : Math.Max(0, centre - half), successes == trials ? 1 : Math.Min(1, centre + half));
    }
}
