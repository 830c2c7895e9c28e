namespace Streaming.Detection;

/// <summary>The permutation p-value of an observed statistic, safe against NaN on either side.</summary>
internal static class PermutationPValue
{
    /// <summary>
    /// (1 + #{permutation statistics not below the observed one}) / (1 + P). "Not below" rather than
    /// "≥": a NaN permutation statistic counts against the window, and a NaN observed statistic is
    /// below nothing, so it gets p = 1 instead of the smallest p-value (every "≥ NaN" is false).
    /// A non-finite observed statistic is always p = 1: it carries no evidence of a shift.
    /// </summary>
    public static double From(float observed, ReadOnlySpan<float> permutations)
    {
        if (!float.IsFinite(observed))
        {
            return 1.0;
        }
        int notBelow = 0;
        foreach (float statistic in permutations)
        {
            if (!(statistic < observed))
            {
                notBelow++;
            }
        }
        return (1.0 + notBelow) / (1.0 + permutations.Length);
    }
}
