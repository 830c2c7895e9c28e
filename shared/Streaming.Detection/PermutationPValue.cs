using System.Numerics;

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
        // Counted as those below, a register at a time (a precomputed null holds thousands of statistics per
        // layer and window), the rest one by one; a NaN statistic is below nothing, so it counts as not below.
        int below = 0, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var limit = new Vector<float>(observed);
            var counts = Vector<int>.Zero;
            for (; i + Vector<float>.Count <= permutations.Length; i += Vector<float>.Count)
            {
                counts -= Vector.LessThan(new Vector<float>(permutations[i..]), limit);   // −1 per lane below
            }
            below = Vector.Sum(counts);
        }
        for (; i < permutations.Length; i++)
        {
            if (permutations[i] < observed)
            {
                below++;
            }
        }
        int notBelow = permutations.Length - below;
        return (1.0 + notBelow) / (1.0 + permutations.Length);
    }
}
