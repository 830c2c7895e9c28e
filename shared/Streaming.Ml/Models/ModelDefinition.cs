using static TorchSharp.torch;
using Streaming.Ml.Capture;

namespace Streaming.Ml.Models;

/// <summary>
/// One trainable architecture of <see cref="ModelCatalog"/>: its name (as in manifests and on the
/// command line), what it outputs, a seeded factory, and the layers captured unless configured otherwise.
/// </summary>
public sealed record ModelDefinition(
    string Name,
    ModelTask Task,
    Func<int, nn.Module<Tensor, Tensor>> Create,
    IReadOnlyList<LayerCaptureSpec> DefaultCapture)
{
    /// <summary>The input shape of one image, [channels, height, width].</summary>
    public long[] InputShape { get; init; } = [1, ModelInput.ImageSide, ModelInput.ImageSide];
}
