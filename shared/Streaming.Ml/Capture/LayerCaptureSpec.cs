namespace Streaming.Ml.Capture;

/// <summary>
/// Which layer to capture and how to reduce it. <paramref name="ProjectionDim"/> and
/// <paramref name="Seed"/> matter only for <see cref="LayerReduction.RandomProjection"/>;
/// the same seed always gives the same projection, so reference and live vectors are comparable.
/// </summary>
public sealed record LayerCaptureSpec(string Layer, LayerReduction Reduction, int ProjectionDim = 0, int Seed = 0)
{
    /// <summary>conv1 GAP (32), conv2 GAP (64), fc1 flattened (128), logits flattened (10).</summary>
    public static IReadOnlyList<LayerCaptureSpec> SmallCnnDefaults { get; } =
    [
        new("conv1", LayerReduction.GlobalAveragePool),
        new("conv2", LayerReduction.GlobalAveragePool),
        new("fc1", LayerReduction.Flatten),
        new("logits", LayerReduction.Flatten),
    ];
}
