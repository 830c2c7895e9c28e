using System.Diagnostics.Metrics;

namespace Streaming.Detection.Windows;

/// <summary>
/// The counter of <see cref="DetectionMessages"/>. It keeps the Detector's meter name, so the
/// instrument reads as before (streaming.detector.* on meter Streaming.Detector); two Meter objects
/// of one name are one meter to a listener.
/// </summary>
internal static class DetectionMessageMetrics
{
    private static readonly Meter Meter = new("Streaming.Detector");

    public static readonly Counter<long> NonFiniteReplaced = Meter.CreateCounter<long>(
        "streaming.detector.nonfinite.replaced", "{value}", "Non-finite numbers replaced in a message just before publishing (should stay 0)");
}
