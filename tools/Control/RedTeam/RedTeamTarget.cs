namespace Streaming.Control.RedTeam;

/// <summary>
/// A running pipeline to attack instead of the embedded one: its Kafka bootstrap servers (the detections
/// and alerts topics are read there), Inference's base address, and the API key Inference requires off
/// loopback.
/// </summary>
public sealed record RedTeamTarget(string BootstrapServers, Uri InferenceUrl, string? ApiKey);
