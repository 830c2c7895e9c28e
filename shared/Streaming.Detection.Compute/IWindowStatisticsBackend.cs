namespace Streaming.Detection.Compute;

/// <summary>
/// The device half of the window MMD test: holds each layer's reference on a device and computes,
/// for a batch of windows, the observed unbiased MMD², the P permutation statistics (over given
/// permutations, on top of the cached reference-only part) and the witness scores. The host half
/// (p-values, multiple testing, decisions) stays with the caller, so every backend decides alike.
/// Not thread-safe: one caller at a time, as the device is shared.
/// </summary>
public interface IWindowStatisticsBackend : IDisposable
{
    /// <summary>Which library and device, for the start-up log (e.g. "ILGPU Cuda NVIDIA H200").</summary>
    string Description { get; }

    /// <summary>Layers added so far; layer indexes run from 0 in the order they were added.</summary>
    int LayerCount { get; }

    /// <summary>Uploads a layer's reference and computes its reference kernel part.</summary>
    /// <param name="vectors">Row-major count × dimension reference vectors.</param>
    /// <param name="bandwidth">The calibrated σ of the layer.</param>
    /// <param name="bandwidthScales">Multipliers s of σ whose kernels are summed: k(x,y) = Σ_s exp(-‖x-y‖² / (2(σs)²)).</param>
    /// <returns>The layer's index.</returns>
    int AddLayer(string name, float[] vectors, int count, int dimension, double bandwidth, IReadOnlyList<double> bandwidthScales);

    /// <summary>
    /// Caches the reference-only part of the statistics of <paramref name="layer"/> for windows of
    /// <see cref="PermutationSet.WindowCount"/> samples; replaces any set held for that size.
    /// </summary>
    void SetPermutations(int layer, PermutationSet permutations);

    /// <summary>True when <see cref="SetPermutations"/> was called for this layer and window size.</summary>
    bool HasPermutations(int layer, int windowCount);

    /// <summary>
    /// Statistics of <paramref name="batch"/> windows of <paramref name="windowCount"/> samples on every
    /// layer (all layers need permutations of that size, all with the same P).
    /// </summary>
    /// <param name="windows">Per layer: row-major batch × windowCount × dimension vectors.</param>
    /// <returns>
    /// Row-major batch × layers × (1 + P + windowCount): per window and layer, the observed MMD²,
    /// the P permutation statistics, then the witness score of each window sample.
    /// </returns>
    float[] Compute(int batch, int windowCount, IReadOnlyList<float[]> windows);
}
