namespace Streaming.Control.LoadTest;

public sealed record LatencyPercentiles(double P50, double P95, double P99, long Samples);
