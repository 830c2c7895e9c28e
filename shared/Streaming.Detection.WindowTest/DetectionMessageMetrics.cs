using System.Diagnostics.Metrics;

namespace Streaming.Detection.WindowTest;

/// <summary>
/// The counter of <see cref="DetectionMessages"/>. It keeps the Detector's meter name, so the
/// instrument reads as before (streaming.detector.* on meter Streaming.Detector); the meter factory
/// hands out one meter per name, shared with the Detector's own instruments.
/// </summary>
public sealed class DetectionMessageMetrics
{
    public const string MeterName = "Streaming.Detector";

    private readonly Counter<long> _nonFiniteReplaced;

    public DetectionMessageMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _nonFiniteReplaced = meter.CreateCounter<long>(
            "streaming.detector.nonfinite.replaced", "{value}", "Non-finite numbers replaced in a message just before publishing (should stay 0)");
    }

    public void RecordNonFiniteReplaced(int count) => _nonFiniteReplaced.Add(count);
}
