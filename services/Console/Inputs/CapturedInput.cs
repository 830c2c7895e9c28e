namespace Streaming.Console.Inputs;

/// <summary>What Inference kept of one event: whether its image is still there, and the model's prediction.</summary>
public sealed record CapturedInput(string EventId, bool Available, int? Predicted, double? Confidence);
