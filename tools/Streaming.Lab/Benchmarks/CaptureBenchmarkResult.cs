namespace Streaming.Lab.Benchmarks;

/// <summary>Median milliseconds per batch of a plain forward and of a capturing one; Ratio = capture / plain.</summary>
public sealed record CaptureBenchmarkResult(string Model, int BatchSize, int Layers, double PlainMs, double CaptureMs)
{
    public double Ratio => CaptureMs / PlainMs;
}
