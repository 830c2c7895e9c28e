using System.Diagnostics.Metrics;

namespace Streaming.Inference;

/// <summary>Images classified, events ingested, publish failures and the model's forward time.</summary>
public sealed class InferenceMetrics
{
    public const string MeterName = "Streaming.Inference";

    private readonly Counter<long> _images;
    private readonly Counter<long> _ingestedEvents;
    private readonly Counter<long> _publishFailures;
    private readonly Histogram<double> _forwardDuration;
    private readonly Counter<long> _captureFailures;

    public InferenceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _images = meter.CreateCounter<long>("streaming.inference.images", "{image}");
        _ingestedEvents = meter.CreateCounter<long>("streaming.inference.ingested", "{event}");
        _publishFailures = meter.CreateCounter<long>("streaming.inference.publish.failures", "{event}");
        _captureFailures = meter.CreateCounter<long>("streaming.inference.capture.failures", "{image}");
        _forwardDuration = meter.CreateHistogram<double>("streaming.inference.forward.duration", "ms");
    }

    public void RecordImages(int count) => _images.Add(count);

    public void RecordIngested(int count) => _ingestedEvents.Add(count);

    public void RecordPublishFailures(int count) => _publishFailures.Add(count);

    public void RecordCaptureFailures(int count) => _captureFailures.Add(count);

    public void RecordForward(TimeSpan elapsed) => _forwardDuration.Record(elapsed.TotalMilliseconds);
}
