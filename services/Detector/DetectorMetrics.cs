using System.Diagnostics.Metrics;

namespace Streaming.Detector;

/// <summary>The Detector's instruments; streaming.detector.nonfinite.replaced, counted where messages are built, is in DetectionMessageMetrics.</summary>
internal static class DetectorMetrics
{
    private static readonly Meter Meter = new("Streaming.Detector");

    public static readonly Counter<long> WindowsTested = Meter.CreateCounter<long>("streaming.detector.windows", "{window}");
    public static readonly Counter<long> Alerts = Meter.CreateCounter<long>("streaming.detector.alerts", "{alert}");
    public static readonly Counter<long> EventsDropped = Meter.CreateCounter<long>(
        "streaming.detector.events.dropped", "{event}", "Events left out of their window's test (tag kind: model, missing_layer, duplicate_layer, dimension, value)");
    public static readonly Counter<long> WindowsUntested = Meter.CreateCounter<long>(
        "streaming.detector.windows.untested", "{window}", "Windows reported with status insufficient_events");
    public static readonly Histogram<double> TestDuration = Meter.CreateHistogram<double>("streaming.detector.test.duration", "ms");

    public static readonly Counter<long> OnlineEvents = Meter.CreateCounter<long>("streaming.detector.online.events", "{event}");
    public static readonly Counter<long> OnlineAlarms = Meter.CreateCounter<long>("streaming.detector.online.alarms", "{alarm}");
    public static readonly Counter<long> OnlineSkipped = Meter.CreateCounter<long>("streaming.detector.online.skipped", "{event}", "Events of another model than the reference's");

    /// <summary>Windows per device call: above 1 only while there is a backlog.</summary>
    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "streaming.detector.batch.size", "{window}", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });
}
