namespace Streaming.Detection.Compute;

/// <summary>
/// The device half of the per-input scores: holds each layer's reference (and class model) on a
/// device and computes, for a batch of events, the raw per-layer distances the CPU scorer computes
/// per event (class-conditional Mahalanobis to the predicted and the nearest class, squared distance
/// to the k-th nearest reference vector and the k neighbours' label disagreement). The host half
/// (conformal p-values, fusion, evidence) stays with the caller, so every backend decides alike.
/// Not thread-safe: one caller at a time, as the device is shared.
/// </summary>
public interface IInputScoreBackend : IDisposable
{
    /// <summary>Which library and device, for the start-up log (e.g. "ILGPU Cuda NVIDIA H200").</summary>
    string Description { get; }

    /// <summary>Layers added so far; layer indexes run from 0 in the order they were added.</summary>
    int LayerCount { get; }

    /// <summary>Uploads a layer's reference and class model.</summary>
    /// <returns>The layer's index.</returns>
    int AddLayer(InputScoreLayer layer);

    /// <summary>Raw scores of <paramref name="events"/> events on every layer.</summary>
    /// <param name="vectors">Per layer (in the order added): row-major events × dimension vectors.</param>
    /// <param name="predictedClasses">Per event its predicted class; negative when unknown.</param>
    /// <param name="neighbours">k of the k-nearest-neighbour search (at most every layer's reference count).</param>
    /// <returns>Per layer, the events' raw scores.</returns>
    LayerEventScores[] Score(int events, IReadOnlyList<float[]> vectors, int[] predictedClasses, int neighbours);
}
