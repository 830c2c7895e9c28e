namespace Streaming.Detection.Compute;

/// <summary>
/// The permutations of a layer's test for one window size, as index sets: for each of the P random
/// splits of the joint sample [reference (n); window (m)], the m joint positions that play the window.
/// The observed split (the window itself) is implied as row 0 of every statistic. Generated once and
/// handed to a backend, so two backends given the same set compute the same permutation statistics.
/// </summary>
public sealed class PermutationSet
{
    private readonly int[] _chosen;

    private PermutationSet(int referenceCount, int windowCount, int permutations, int[] chosen)
    {
        ReferenceCount = referenceCount;
        WindowCount = windowCount;
        Permutations = permutations;
        _chosen = chosen;
    }

    public int ReferenceCount { get; }

    public int WindowCount { get; }

    /// <summary>P, not counting the observed split.</summary>
    public int Permutations { get; }

    /// <summary>Row-major P × m joint positions (0..n+m-1): position i &lt; n is reference vector i, n + j is window sample j.</summary>
    public ReadOnlySpan<int> Chosen => _chosen;

    /// <summary>Checks and copies P × m chosen joint positions (distinct within each row).</summary>
    public static PermutationSet FromChosen(int referenceCount, int windowCount, int permutations, ReadOnlySpan<long> chosen)
    {
        Validate(referenceCount, windowCount, permutations);
        if (chosen.Length != (long)permutations * windowCount)
        {
            throw new ArgumentException($"Expected {permutations} × {windowCount} chosen positions, got {chosen.Length}.", nameof(chosen));
        }
        int total = referenceCount + windowCount;
        var copy = new int[chosen.Length];
        var seen = new bool[total];
        for (int p = 0; p < permutations; p++)
        {
            Array.Clear(seen);
            for (int k = 0; k < windowCount; k++)
            {
                long position = chosen[p * windowCount + k];
                if (position < 0 || position >= total || seen[position])
                {
                    throw new ArgumentException(
                        $"Permutation {p} chooses position {position}; positions must be distinct and within [0, {total}).", nameof(chosen));
                }
                seen[position] = true;
                copy[p * windowCount + k] = (int)position;
            }
        }
        return new PermutationSet(referenceCount, windowCount, permutations, copy);
    }

    /// <summary>
    /// P uniformly random splits from a host generator (SplitMix64, partial Fisher-Yates): the same
    /// seed gives the same set on every machine, with no tensor library involved.
    /// </summary>
    public static PermutationSet Random(int referenceCount, int windowCount, int permutations, ulong seed)
    {
        Validate(referenceCount, windowCount, permutations);
        int total = referenceCount + windowCount;
        var chosen = new int[permutations * windowCount];
        var order = new int[total];
        ulong state = seed;
        for (int p = 0; p < permutations; p++)
        {
            for (int i = 0; i < total; i++)
            {
                order[i] = i;
            }
            for (int k = 0; k < windowCount; k++)
            {
                int pick = k + (int)(Next(ref state) % (ulong)(total - k));
                (order[k], order[pick]) = (order[pick], order[k]);
                chosen[p * windowCount + k] = order[k];
            }
        }
        return new PermutationSet(referenceCount, windowCount, permutations, chosen);
    }

    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static void Validate(int referenceCount, int windowCount, int permutations)
    {
        if (referenceCount < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(referenceCount), referenceCount, "A reference needs at least 2 vectors.");
        }
        if (windowCount < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(windowCount), windowCount, "The unbiased MMD² needs at least 2 window samples.");
        }
        if (permutations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(permutations), permutations, "At least one permutation is needed.");
        }
    }
}
