namespace Streaming.Control.LoadTest;

public sealed record LoadTestOptions
{
    public IReadOnlyList<LoadPhase> Phases { get; init; } = [];

    /// <summary>Images per request.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>Attack of the attacked share (any name of the attack library: fgsm, bim, pgd, deepfool, …).</summary>
    public string Attack { get; init; } = "fgsm";

    public double Epsilon { get; init; } = 0.3;

    public int WindowSize { get; init; } = 100;

    public int WindowSlide { get; init; } = 50;

    public int Permutations { get; init; } = 500;

    /// <summary>Also measure the raw Kafka produce/consume rate in the same run.</summary>
    public bool MeasureKafkaCeiling { get; init; } = true;

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public int Seed { get; init; } = 1;
}
