namespace Streaming.Control.Replay;

public sealed record ReplayOptions
{
    public required string BootstrapServers { get; init; }

    public string Topic { get; init; } = Contracts.Topics.Activations;

    public ReplayBoundary? From { get; init; }

    public ReplayBoundary? To { get; init; }

    public string? Model { get; init; }

    public string? Stream { get; init; }

    public required string ReferencePath { get; init; }

    public int WindowSize { get; init; } = 100;

    public int WindowSlide { get; init; } = 50;

    public double Alpha { get; init; } = 0.05;

    public int Permutations { get; init; } = 500;

    public int Seed { get; init; } = 12345;

    /// <summary>Also publish the replayed detections here (never the live topic).</summary>
    public string? OutputTopic { get; init; }
}
