namespace Streaming.Control.LoadTest;

public sealed record LoadTestOptions
{
    public IReadOnlyList<LoadPhase> Phases { get; init; } = [];

    /// <summary>Images to POST /v1/predict, or activation events of recorded inputs (the streaming path).</summary>
    public LoadSource Source { get; init; } = LoadSource.Images;

    /// <summary>How events are delivered with <see cref="LoadSource.Events"/>.</summary>
    public EventTransport Transport { get; init; } = EventTransport.Kafka;

    /// <summary>Images (or events) per request.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>Attack of the attacked share (any name of the attack library: fgsm, bim, pgd, deepfool, …); the events source records its images' activations.</summary>
    public string Attack { get; init; } = "fgsm";

    public double Epsilon { get; init; } = 0.3;

    public int WindowSize { get; init; } = 100;

    public int WindowSlide { get; init; } = 50;

    public int Permutations { get; init; } = 500;

    /// <summary>Instances each of Windowing, the Detector and Alerting (scale-out on one machine).</summary>
    public int Instances { get; init; } = 1;

    /// <summary>
    /// Streams each phase's traffic is spread over, request by request in turn: with one, every window
    /// of a phase lands on one partition (one Detector); with several, instances share them.
    /// </summary>
    public int Streams { get; init; } = 1;

    /// <summary>Also measure the raw Kafka produce/consume rate in the same run.</summary>
    public bool MeasureKafkaCeiling { get; init; } = true;

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public int Seed { get; init; } = 1;

    /// <summary>Where to write every window's stage times as CSV (see <see cref="LatencyBreakdown"/>); none when null.</summary>
    public string? TimelinePath { get; init; }
}
