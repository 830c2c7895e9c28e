using Streaming.Ml.Capture;

namespace Streaming.Inference;

/// <summary>
/// One captured layer (Inference:Layers:N): the model's submodule name, how it is reduced to a vector,
/// and for RandomProjection the output length and seed. The detector's reference must be calibrated
/// with the same settings.
/// </summary>
public sealed class LayerOptions
{
    public string Name { get; set; } = "";

    public LayerReduction Reduction { get; set; } = LayerReduction.GlobalAveragePool;

    public int ProjectionDim { get; set; }

    public int Seed { get; set; }

    public LayerCaptureSpec ToCaptureSpec() => new(Name, Reduction, ProjectionDim, Seed);
}
