namespace Streaming.Detection;

/// <summary>
/// Detection-rate mode (as in the LADIS method): K permutation tests, each on a random subsample of
/// the window and of the reference; the share of them that reject at the layer's level is a graded
/// measure of how far the window is from the reference, steadier than one p-value.
/// </summary>
public sealed record DetectionRateOptions
{
    /// <summary>K, the number of subsampled tests per layer.</summary>
    public int Tests { get; init; } = 20;

    /// <summary>Window vectors per subtest (all of the window when it has fewer).</summary>
    public int WindowSamples { get; init; } = 50;

    /// <summary>Reference vectors per subtest (all of the reference when it has fewer).</summary>
    public int ReferenceSamples { get; init; } = 100;

    /// <summary>Permutations per subtest.</summary>
    public int Permutations { get; init; } = 200;

    internal void Validate()
    {
        if (Tests < 1)
        {
            throw new ArgumentException($"DetectionRate.Tests must be at least 1, got {Tests}.", nameof(Tests));
        }
        if (WindowSamples < 2 || ReferenceSamples < 2)
        {
            throw new ArgumentException(
                $"DetectionRate.WindowSamples ({WindowSamples}) and ReferenceSamples ({ReferenceSamples}) must be at least 2.", nameof(WindowSamples));
        }
        if (Permutations < 1)
        {
            throw new ArgumentException($"DetectionRate.Permutations must be at least 1, got {Permutations}.", nameof(Permutations));
        }
    }
}
