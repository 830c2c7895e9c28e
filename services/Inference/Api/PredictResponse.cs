namespace Streaming.Inference.Api;

public sealed record PredictResponse(string Model, string ModelVersion, IReadOnlyList<Prediction> Predictions);
