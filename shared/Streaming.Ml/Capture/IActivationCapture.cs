using static TorchSharp.torch;
using Streaming.Ml.Persistence;
using Streaming.Ml.Serving;

namespace Streaming.Ml.Capture;

/// <summary>
/// A model plus the layers captured from it in the same forward pass: hooks on a native TorchSharp
/// module (<see cref="ActivationCapture"/>) or the tuple outputs of a TorchScript module
/// (<see cref="ScriptOutputCapture"/>). <see cref="ModelRunner"/> serves either.
/// </summary>
public interface IActivationCapture : IDisposable
{
    IReadOnlyList<LayerCaptureSpec> Specs { get; }

    /// <summary>One forward pass under inference mode: predictions and every captured layer's reduced vectors.</summary>
    CaptureResult Run(Tensor images);

    /// <summary>Runs one all-zero input of <paramref name="singleInputShape"/> and describes every captured layer.</summary>
    IReadOnlyList<LayerManifest> DescribeLayers(long[] singleInputShape);
}
