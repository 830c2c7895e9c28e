namespace Streaming.Inference.Api;

/// <summary>A batch of 28x28 grayscale images, each 784 values in [0, 1], row-major.</summary>
public sealed record PredictRequest(string? StreamId, float[][]? Images, Dictionary<string, string>? Attributes);
