using System.Diagnostics.Metrics;

namespace Streaming.Messaging;

/// <summary>Events in and out, dead letters, handler latency and failures, consumer lag and stalls, per topic.</summary>
public static class MessagingMetrics
{
    public const string MeterName = "Streaming.Messaging";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Consumed = Meter.CreateCounter<long>("streaming.messages.consumed", "{message}");
    public static readonly Counter<long> Produced = Meter.CreateCounter<long>("streaming.messages.produced", "{message}");
    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("streaming.messages.deadlettered", "{message}");

    /// <summary>Messages that could not even be dead-lettered (logged at Error with their offset) and were skipped.</summary>
    public static readonly Counter<long> DeadLetterFailed = Meter.CreateCounter<long>(
        "streaming.messages.deadletter_failed", "{message}", "Messages skipped because their dead letter could not be written.");

    /// <summary>Handler failures by kind (permanent, transient, unknown), each try counted.</summary>
    public static readonly Counter<long> HandlerFailures = Meter.CreateCounter<long>(
        "streaming.handler.failures", "{failure}", "Failed handler attempts, by topic and kind.");

    public static readonly Histogram<double> HandlerDuration = Meter.CreateHistogram<double>("streaming.handler.duration", "ms");

    private static readonly Dictionary<string, long> Lags = [];
    private static readonly List<KafkaConsumerService> Consumers = [];

    static MessagingMetrics()
    {
        Meter.CreateObservableGauge("streaming.consumer.lag", ObserveLag, "{message}");
        Meter.CreateObservableGauge(
            "streaming.consumer.stalled", ObserveStalled, "{consumer}",
            "1 while a consumer of the topic makes no progress (paused through an outage, or not polling) for longer than Kafka:ConsumerStalledAfterMs.");
    }

    public static void RecordLag(string topic, long lag)
    {
        lock (Lags) Lags[topic] = lag;
    }

    internal static void Track(KafkaConsumerService consumer)
    {
        lock (Consumers) Consumers.Add(consumer);
    }

    internal static void Untrack(KafkaConsumerService consumer)
    {
        lock (Consumers) Consumers.Remove(consumer);
    }

    private static IEnumerable<Measurement<long>> ObserveLag()
    {
        lock (Lags)
            return Lags.Select(kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>("topic", kv.Key))).ToList();
    }

    private static IEnumerable<Measurement<int>> ObserveStalled()
    {
        List<KafkaConsumerService> consumers;
        lock (Consumers) consumers = [.. Consumers];
        return consumers
            .GroupBy(c => c.ConsumedTopic)
            .Select(g => new Measurement<int>(g.Any(c => c.GetProgress().Stalled) ? 1 : 0, new KeyValuePair<string, object?>("topic", g.Key)))
            .ToList();
    }
}
