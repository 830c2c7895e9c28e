namespace Streaming.Control.Demo;

public sealed record LatencySummary(double P50, double P99, int Samples);
