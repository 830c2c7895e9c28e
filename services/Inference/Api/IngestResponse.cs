namespace Streaming.Inference.Api;

/// <summary>Answer of POST /v1/activations: how many events were queued for the activations topic, and their ids.</summary>
public sealed record IngestResponse(int Accepted, IReadOnlyList<string> EventIds);
