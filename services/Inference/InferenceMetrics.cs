using System.Diagnostics.Metrics;

namespace Streaming.Inference;

internal static class InferenceMetrics
{
    private static readonly Meter Meter = new("Streaming.Inference");

    public static readonly Counter<long> Images = Meter.CreateCounter<long>("streaming.inference.images", "{image}");
    public static readonly Counter<long> IngestedEvents = Meter.CreateCounter<long>("streaming.inference.ingested", "{event}");
    public static readonly Counter<long> PublishFailures = Meter.CreateCounter<long>("streaming.inference.publish.failures", "{event}");
    public static readonly Histogram<double> ForwardDuration = Meter.CreateHistogram<double>("streaming.inference.forward.duration", "ms");
}
