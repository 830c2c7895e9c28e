namespace Streaming.Control.Demo;

public sealed record DemoOptions
{
    public int CleanImages { get; init; } = 2000;

    public int AttackImages { get; init; } = 1000;

    public double Epsilon { get; init; } = 0.3;

    public int WindowSize { get; init; } = 100;

    public int WindowSlide { get; init; } = 50;

    public int ReferenceSize { get; init; } = 1000;

    public int Permutations { get; init; } = 500;

    public double Alpha { get; init; } = 0.05;

    public int BatchSize { get; init; } = 50;

    public string? ReportPath { get; init; }

    /// <summary>libtorch threads per service process (OMP_NUM_THREADS).</summary>
    public int TorchThreads { get; init; } = 1;

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Expected count windows for a phase of n events: one at size, then one every slide.</summary>
    public int ExpectedWindows(int events) => Replay.CountWindowBuilder.ExpectedCount(events, WindowSize, WindowSlide);
}
