using Streaming.Ml.Capture;
using Streaming.Ml.Models;

namespace Streaming.Ml.Persistence;

/// <summary>
/// What is stored next to a model's weights (manifest.json). <see cref="Name"/> is the
/// <see cref="ModelCatalog"/> name. A classifier reports <see cref="TestAccuracy"/>; a reconstruction
/// model (the autoencoder) has no accuracy, reports 0 there and its test <see cref="ReconstructionMse"/> instead.
/// </summary>
public sealed record ModelManifest(
    string Name,
    string Version,
    string Dataset,
    double TestAccuracy,
    DateTimeOffset TrainedAt,
    IReadOnlyList<LayerManifest> Layers,
    double? ReconstructionMse = null)
{
    /// <summary>The capture specs of the manifest's layers, in order.</summary>
    public IReadOnlyList<LayerCaptureSpec> CaptureSpecs() => Layers.Select(l => l.ToCaptureSpec()).ToArray();
}
