namespace Streaming.Detection.Online;

/// <summary>
/// Settings of the sequential (online) MMD detector: a sliding window of the last
/// <see cref="WindowSize"/> events of one stream is compared with a clean reference after every
/// event, against thresholds calibrated so that clean traffic raises a false alarm once every
/// <see cref="ExpectedRunTime"/> events on average.
/// </summary>
public sealed record OnlineMmdOptions
{
    /// <summary>W: events in the sliding test window. Small reacts fast to strong attacks; large sees weak ones.</summary>
    public int WindowSize { get; init; } = 20;

    /// <summary>ERT: the configured mean number of clean events between false alarms (over all layers together).</summary>
    public double ExpectedRunTime { get; init; } = 500;

    /// <summary>
    /// Simulated clean streams drawn from the reference to set the thresholds. Each layer's threshold
    /// is a 1 - 1/(ERT × layers) quantile, so at least <see cref="MinimumExceedances"/> of them
    /// must lie above it: Bootstraps ≥ 5 × ERT × layers.
    /// </summary>
    public int Bootstraps { get; init; } = 25_000;

    /// <summary>Multipliers of the reference bandwidth whose Gaussian kernels are summed (as for the window test).</summary>
    public IReadOnlyList<double> BandwidthScales { get; init; } = KernelBandwidths.Single;

    /// <summary>Seed of the bootstrap streams and of the reference split.</summary>
    public ulong Seed { get; init; } = 2024;

    public const int MinimumExceedances = 5;

    internal void Validate(int layers, int smallestReference)
    {
        KernelBandwidths.Validate(BandwidthScales, nameof(BandwidthScales));
        if (WindowSize < 2)
        {
            throw new ArgumentException($"WindowSize must be at least 2 (the unbiased MMD² needs two events), got {WindowSize}.", nameof(WindowSize));
        }
        if (!double.IsFinite(ExpectedRunTime) || ExpectedRunTime < 2)
        {
            throw new ArgumentException($"ExpectedRunTime must be a finite number of events of at least 2, got {ExpectedRunTime}.", nameof(ExpectedRunTime));
        }
        // The split keeps 2W-1 vectors for the simulated test stream and needs two for the reference part.
        if (smallestReference - (2 * WindowSize - 1) < 2)
        {
            throw new ArgumentException(
                $"WindowSize {WindowSize} needs references of at least {2 * WindowSize + 1} vectors (2W-1 for the simulated stream, 2 for the reference part); the smallest has {smallestReference}.",
                nameof(WindowSize));
        }
        double needed = MinimumExceedances * ExpectedRunTime * layers;
        if (Bootstraps < needed)
        {
            throw new ArgumentException(
                $"Bootstraps {Bootstraps} is too few for ExpectedRunTime {ExpectedRunTime} over {layers} layer(s): each threshold is a 1 - 1/{ExpectedRunTime * layers} quantile, which needs at least {Math.Ceiling(needed)} simulated streams.",
                nameof(Bootstraps));
        }
    }
}
