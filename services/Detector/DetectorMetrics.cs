using System.Diagnostics.Metrics;

namespace Streaming.Detector;

internal static class DetectorMetrics
{
    private static readonly Meter Meter = new("Streaming.Detector");

    public static readonly Counter<long> WindowsTested = Meter.CreateCounter<long>("streaming.detector.windows", "{window}");
    public static readonly Counter<long> Alerts = Meter.CreateCounter<long>("streaming.detector.alerts", "{alert}");
    public static readonly Histogram<double> TestDuration = Meter.CreateHistogram<double>("streaming.detector.test.duration", "ms");
}
