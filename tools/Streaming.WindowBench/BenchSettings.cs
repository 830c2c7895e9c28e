namespace Streaming.WindowBench;

/// <summary>The fixed shape of the bench: the small-cnn layers (d 32/64/128/10), windows of 100, P 500.</summary>
public sealed record BenchSettings
{
    public IReadOnlyList<int> Dimensions { get; init; } = [32, 64, 128, 10];

    public int WindowCount { get; init; } = 100;

    public int Permutations { get; init; } = 500;

    /// <summary>Windows timed per case (rounded up to whole calls); one call before them warms up.</summary>
    public int Windows { get; init; } = 64;

    public ulong Seed { get; init; } = 1;
}
