namespace Streaming.Ml;

/// <summary>What is stored next to a model's weights (manifest.json).</summary>
public sealed record ModelManifest(
    string Name,
    string Version,
    string Dataset,
    double TestAccuracy,
    DateTimeOffset TrainedAt,
    IReadOnlyList<LayerManifest> Layers)
{
    /// <summary>The capture specs of the manifest's layers, in order.</summary>
    public IReadOnlyList<LayerCaptureSpec> CaptureSpecs() => Layers.Select(l => l.ToCaptureSpec()).ToArray();
}
