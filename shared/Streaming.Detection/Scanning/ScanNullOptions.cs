namespace Streaming.Detection.Scanning;

public sealed record ScanNullOptions
{
    /// <summary>Clean windows simulated; the smallest attainable scan p-value is 1/(Windows + 1).</summary>
    public int Windows { get; init; } = 1000;

    /// <summary>Seed of the draws of held-out events into windows.</summary>
    public int Seed { get; init; } = 17;

    /// <summary>Threads that scan simulated windows; results do not depend on it (every window has its own seed).</summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;

    internal void Validate()
    {
        if (Windows < 1)
        {
            throw new ArgumentException($"Windows must be at least 1, got {Windows}.", nameof(Windows));
        }
        if (MaxDegreeOfParallelism < 1)
        {
            throw new ArgumentException($"MaxDegreeOfParallelism must be at least 1, got {MaxDegreeOfParallelism}.", nameof(MaxDegreeOfParallelism));
        }
    }
}
