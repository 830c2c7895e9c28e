namespace Streaming.Detection;

public sealed record WindowTesterOptions
{
    /// <summary>Family-wise significance level; the window alerts when the combined p-value is below it.</summary>
    public double Alpha { get; init; } = 0.05;

    public CorrectionMethod Correction { get; init; } = CorrectionMethod.Bonferroni;

    /// <summary>How many window samples to name as the ones that moved the window most.</summary>
    public int TopK { get; init; } = 10;

    /// <summary>Permutations and seed; each layer uses a seed derived from this one and its position.</summary>
    public MmdTestOptions Test { get; init; } = new();

    /// <summary>
    /// When set, every layer also reports the share of K subsampled tests that reject at level
    /// <see cref="Alpha"/> (LADIS detection rate). Informative only: the alert still follows the
    /// combined p-value of the full window.
    /// </summary>
    public DetectionRateOptions? DetectionRate { get; init; }

    internal void Validate()
    {
        DetectionRate?.Validate();
        if (!(Alpha > 0 && Alpha < 1))
        {
            throw new ArgumentException($"Alpha must lie in (0, 1), got {Alpha}.", nameof(Alpha));
        }
        if (TopK < 0)
        {
            throw new ArgumentException($"TopK must not be negative, got {TopK}.", nameof(TopK));
        }
        ArgumentNullException.ThrowIfNull(Test, nameof(Test));
        Test.Validate();
    }
}
