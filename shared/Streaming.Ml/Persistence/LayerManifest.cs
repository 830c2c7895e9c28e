using Streaming.Ml.Capture;

namespace Streaming.Ml.Persistence;

/// <summary>
/// One captured layer as a model publishes it: the activation shape for a single input
/// (e.g. [32,26,26]), the reduction, and the length of the vectors it yields.
/// </summary>
public sealed record LayerManifest(
    string Name,
    int[] Shape,
    LayerReduction Reduction,
    int VectorDim,
    int ProjectionDim = 0,
    int Seed = 0)
{
    /// <summary>The capture spec that reproduces these vectors.</summary>
    public LayerCaptureSpec ToCaptureSpec() => new(Name, Reduction, ProjectionDim, Seed);
}
