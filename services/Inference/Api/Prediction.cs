namespace Streaming.Inference.Api;

public sealed record Prediction(string EventId, int PredictedClass, float Confidence);
