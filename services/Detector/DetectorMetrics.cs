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
    private readonly Counter<long> _windowsWithoutReference;
    private readonly Counter<long> _referenceLoads;
    private readonly Counter<long> _referencesEvicted;
    // Model and version come from the events: bounded so a producer cannot grow the metric's series without end.
    private readonly ModelVersionLabels _withoutReferenceLabels = new();

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

        _windowsWithoutReference = meter.CreateCounter<long>(
            "streaming.detector.windows.uncalibrated", "{window}",
            "Windows not tested for want of a reference (tags model, model_version, status: uncalibrated or reference_unavailable; "
            + $"models beyond the first {ModelVersionLabels.DefaultMaxModels} and versions beyond a model's first {ModelVersionLabels.DefaultMaxVersionsPerModel} are counted as \"{ModelVersionLabels.Other}\")");
        _referenceLoads = meter.CreateCounter<long>(
            "streaming.detector.references.loads", "{reference}", "References of the registry loaded to the compute device (tag outcome: loaded or failed)");
        _referencesEvicted = meter.CreateCounter<long>(
            "streaming.detector.references.evicted", "{reference}", "Loaded references dropped (tag reason: memory or inactive)");

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

    public void RecordWithoutReference(string model, string version, string status)
    {
        var labels = _withoutReferenceLabels.Of(model, version);
        _windowsWithoutReference.Add(
            1, new KeyValuePair<string, object?>("model", labels.Model), new KeyValuePair<string, object?>("model_version", labels.Version), new KeyValuePair<string, object?>("status", status));
    }

    public void RecordReferenceLoad(bool loaded) => _referenceLoads.Add(1, new KeyValuePair<string, object?>("outcome", loaded ? "loaded" : "failed"));

    public void RecordReferenceEvicted(string reason) => _referencesEvicted.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void RecordOnlineSkipped() => _onlineSkipped.Add(1);

    public void RecordOnlineEvent() => _onlineEvents.Add(1);

    public void RecordOnlineAlarm() => _onlineAlarms.Add(1);

    public void RecordOnlineReplayed() => _onlineReplayed.Add(1);
}
