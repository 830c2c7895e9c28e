using System.Diagnostics.Metrics;

namespace Streaming.Messaging;

/// <summary>Events in and out, dead letters, handler latency and consumer lag, per topic.</summary>
public static class MessagingMetrics
{
    public const string MeterName = "Streaming.Messaging";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Consumed = Meter.CreateCounter<long>("streaming.messages.consumed", "{message}");
    public static readonly Counter<long> Produced = Meter.CreateCounter<long>("streaming.messages.produced", "{message}");
    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("streaming.messages.deadlettered", "{message}");
    public static readonly Histogram<double> HandlerDuration = Meter.CreateHistogram<double>("streaming.handler.duration", "ms");

    private static readonly Dictionary<string, long> Lags = [];

    static MessagingMetrics()
    {
        Meter.CreateObservableGauge("streaming.consumer.lag", ObserveLag, "{message}");
    }

    public static void RecordLag(string topic, long lag)
    {
        lock (Lags) Lags[topic] = lag;
    }

    private static IEnumerable<Measurement<long>> ObserveLag()
    {
        lock (Lags)
            return Lags.Select(kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>("topic", kv.Key))).ToList();
    }
}
