namespace Streaming.ReferenceRegistry;

/// <summary>What the registry knows of one published reference, without its vectors.</summary>
/// <param name="Id">"model/version/checksum prefix": the same file published twice is the same reference.</param>
/// <param name="Count">Reference inputs (vectors per layer).</param>
/// <param name="Source">Where the clean inputs came from (images or a topic range), as calibration recorded it.</param>
/// <param name="Checksum">SHA-256 of the reference file's bytes, hex; checked on every load.</param>
/// <param name="Bytes">Size of the reference file.</param>
public sealed record ReferenceMetadata(
    string Id,
    string Model,
    string Version,
    IReadOnlyList<ReferenceLayerInfo> Layers,
    int Count,
    string Source,
    DateTimeOffset CreatedAt,
    DateTimeOffset PublishedAt,
    string Checksum,
    ReferenceState State,
    long Bytes)
{
    /// <summary>Whether the reference carries the calibration split that per-input scoring needs.</summary>
    public bool HasCalibration { get; init; }
}
