using System.Diagnostics.Metrics;

namespace Streaming.Detector;

/// <summary>The Detector's instruments; streaming.detector.nonfinite.replaced, counted where messages are built, is in DetectionMessageMetrics.</summary>
public sealed class DetectorMetrics
{
    public const string MeterName = "Streaming.Detector";

    private readonly Counter<long> _windowsTested;
    private readonly Counter<long> _alerts;
    private readonly Counter<long> _eventsDropped;
    private readonly Counter<long> _windowsUntested;
    private readonly Histogram<double> _testDuration;
    private readonly Counter<long> _onlineEvents;
    private readonly Counter<long> _onlineAlarms;
    private readonly Counter<long> _onlineSkipped;
    private readonly Counter<long> _onlineReplayed;
    private readonly Histogram<int> _batchSize;

    public DetectorMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _windowsTested = meter.CreateCounter<long>("streaming.detector.windows", "{window}");
        _alerts = meter.CreateCounter<long>("streaming.detector.alerts", "{alert}");
        _eventsDropped = meter.CreateCounter<long>(
            "streaming.detector.events.dropped", "{event}", "Events left out of their window's test (tag kind: model, missing_layer, duplicate_layer, dimension, value)");
        _windowsUntested = meter.CreateCounter<long>(
            "streaming.detector.windows.untested", "{window}", "Windows reported with status insufficient_events");
        _testDuration = meter.CreateHistogram<double>("streaming.detector.test.duration", "ms");

        _onlineEvents = meter.CreateCounter<long>("streaming.detector.online.events", "{event}");
        _onlineAlarms = meter.CreateCounter<long>("streaming.detector.online.alarms", "{alarm}");
        _onlineSkipped = meter.CreateCounter<long>("streaming.detector.online.skipped", "{event}", "Events of another model than the reference's");
        _onlineReplayed = meter.CreateCounter<long>("streaming.detector.online.replayed", "{event}", "Events delivered again that the stored state already holds (skipped)");

        // Windows per device call: above 1 only while there is a backlog.
        _batchSize = meter.CreateHistogram<int>(
            "streaming.detector.batch.size", "{window}", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });
    }

    public void RecordBatch(int windows) => _batchSize.Record(windows);

    public void RecordTested() => _windowsTested.Add(1);

    public void RecordUntested() => _windowsUntested.Add(1);

    public void RecordTestDuration(TimeSpan duration) => _testDuration.Record(duration.TotalMilliseconds);

    public void RecordAlert() => _alerts.Add(1);

    public void RecordDropped(string kind) => _eventsDropped.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void RecordOnlineSkipped() => _onlineSkipped.Add(1);

    public void RecordOnlineEvent() => _onlineEvents.Add(1);

    public void RecordOnlineAlarm() => _onlineAlarms.Add(1);

    public void RecordOnlineReplayed() => _onlineReplayed.Add(1);
}
