namespace Streaming.Detection.Scanning;

public sealed record SubsetScanOptions
{
    public ScanStatistic Statistic { get; init; } = ScanStatistic.BerkJones;

    public PValueTail Tail { get; init; } = PValueTail.Upper;

    /// <summary>Largest threshold α considered; p-values above it never count as anomalous. In (0, 1).</summary>
    public double AlphaMax { get; init; } = 0.5;

    /// <summary>
    /// Most thresholds α evaluated. The attainable p-values up to <see cref="AlphaMax"/> are thinned
    /// to this many with log-spaced ranks, so the small thresholds, where sparse strong signals peak,
    /// keep their full resolution. At most 255.
    /// </summary>
    public int MaxThresholds { get; init; } = 50;

    /// <summary>Random restarts of the ascent besides the one that starts from every node.</summary>
    public int Restarts { get; init; } = 5;

    /// <summary>Most (events, nodes) ascent rounds per restart; each round can only raise the score, and usually stops within 2-4.</summary>
    public int MaxIterations { get; init; } = 20;

    /// <summary>Seed of the restarts: the same window and seed give the same result.</summary>
    public int Seed { get; init; } = 1;

    internal void Validate()
    {
        if (!Enum.IsDefined(Statistic))
        {
            throw new ArgumentException($"Statistic {Statistic} is not a known scan statistic.", nameof(Statistic));
        }
        if (!Enum.IsDefined(Tail))
        {
            throw new ArgumentException($"Tail {Tail} is not a known p-value tail.", nameof(Tail));
        }
        if (!(AlphaMax > 0 && AlphaMax < 1))
        {
            throw new ArgumentException($"AlphaMax must lie in (0, 1), got {AlphaMax}.", nameof(AlphaMax));
        }
        if (MaxThresholds is < 1 or > 255)
        {
            throw new ArgumentException($"MaxThresholds must lie in [1, 255], got {MaxThresholds}.", nameof(MaxThresholds));
        }
        if (Restarts < 0)
        {
            throw new ArgumentException($"Restarts must not be negative, got {Restarts}.", nameof(Restarts));
        }
        if (MaxIterations < 1)
        {
            throw new ArgumentException($"MaxIterations must be at least 1, got {MaxIterations}.", nameof(MaxIterations));
        }
    }
}
