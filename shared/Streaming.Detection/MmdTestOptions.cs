using static TorchSharp.torch;

namespace Streaming.Detection;

public sealed record MmdTestOptions
{
    /// <summary>Number of random permutations P; the smallest attainable p-value is 1/(1+P).</summary>
    public int Permutations { get; init; } = 500;

    /// <summary>Seed of the permutations: the same seed and inputs give the same p-value.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// Device the test must run on; null means "wherever the reference was uploaded".
    /// When set, a reference on another device is rejected rather than silently copied.
    /// </summary>
    public Device? Device { get; init; }

    /// <summary>
    /// Multipliers of the calibrated bandwidth whose Gaussian kernels are summed when a reference is
    /// uploaded: <see cref="KernelBandwidths.Single"/> (default) or <see cref="KernelBandwidths.Multi"/>.
    /// </summary>
    public IReadOnlyList<double> BandwidthScales { get; init; } = KernelBandwidths.Single;

    internal void Validate()
    {
        KernelBandwidths.Validate(BandwidthScales, nameof(BandwidthScales));
        if (Permutations < 1)
        {
            throw new ArgumentException($"Permutations must be at least 1, got {Permutations}.", nameof(Permutations));
        }
    }
}
