namespace Streaming.Control.RedTeam;

/// <summary>The part of Inference's /v1/predict answer the red team reads: one event id per image, in order.</summary>
public sealed record PredictAnswer(string? Model, string? ModelVersion, IReadOnlyList<PredictedEvent>? Predictions);

/// <summary>One image's event as Inference published it.</summary>
public sealed record PredictedEvent(string EventId, int PredictedClass, float Confidence);
