namespace Streaming.Control.LoadTest;

/// <summary>
/// One stage of a window's way from its completing event to its detection's arrival: median and 99th percentile
/// over the phase's windows, and its mean over the slowest 1 % of the windows by total latency (at least one), which
/// says which stage the tail comes from.
/// </summary>
public sealed record StageLatency(string Stage, double P50Ms, double P99Ms, double SlowestMeanMs);
