namespace Streaming.Inference.Api;

/// <summary>
/// A batch of 28x28 grayscale images, each 784 values in [0, 1], row-major.
/// <see cref="Attributes"/> go on every image's event; <see cref="ImageAttributes"/> (optional, one entry
/// per image, null entries allowed) add to or override them per image, e.g. ground-truth labels of mixed traffic.
/// </summary>
public sealed record PredictRequest(
    string? StreamId,
    float[][]? Images,
    Dictionary<string, string>? Attributes,
    Dictionary<string, string>?[]? ImageAttributes = null);
