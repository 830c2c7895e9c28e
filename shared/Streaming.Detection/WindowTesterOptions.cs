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

    /// <summary>Permutations per window, or a null precomputed from the calibration split (<see cref="MmdNullMode"/>).</summary>
    public MmdNullMode Null { get; init; } = MmdNullMode.Permutation;

    /// <summary>Clean calibration windows per precomputed null; its smallest p-value is 1/(NullWindows + 1).</summary>
    public int NullWindows { get; init; } = 2000;

    /// <summary>Most window sizes whose precomputed null is kept (least recently used dropped; rebuilt on demand).</summary>
    public int NullSizeCapacity { get; init; } = 16;

    /// <summary>
    /// Against a precomputed null: events whose cross-kernel sums against the reference are kept for the
    /// other windows holding them (<see cref="CrossSumCache"/>, least recently used out); 0: none.
    /// </summary>
    public int CrossSumCache { get; init; }

    /// <summary>
    /// Threads the managed statistic against a precomputed null (a reference on the CPU) may use per call: a
    /// group's new events and windows are split among them (<see cref="HostWork"/>), with the same results on any
    /// number. 0: as many as the tensor library's threads (<c>torch.get_num_threads()</c>, which the permutations use),
    /// so one setting (OMP_NUM_THREADS) gives both nulls the same cores.
    /// </summary>
    public int HostThreads { get; init; }

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
        if (!Enum.IsDefined(Null))
        {
            throw new ArgumentException($"Null must be {string.Join(" or ", Enum.GetNames<MmdNullMode>())}, got {(int)Null}.", nameof(Null));
        }
        if (NullWindows < 19)
        {
            throw new ArgumentException($"NullWindows must be at least 19 (smallest p-value 1/(NullWindows + 1)), got {NullWindows}.", nameof(NullWindows));
        }
        if (NullSizeCapacity < 1)
        {
            throw new ArgumentException($"NullSizeCapacity must be at least 1, got {NullSizeCapacity}.", nameof(NullSizeCapacity));
        }
        if (CrossSumCache < 0)
        {
            throw new ArgumentException($"CrossSumCache must not be negative, got {CrossSumCache}.", nameof(CrossSumCache));
        }
        if (HostThreads < 0)
        {
            throw new ArgumentException($"HostThreads must not be negative, got {HostThreads}.", nameof(HostThreads));
        }
        ArgumentNullException.ThrowIfNull(Test, nameof(Test));
        Test.Validate();
    }
}
