using System.Diagnostics.Metrics;

namespace Streaming.Messaging;

/// <summary>
/// Events in and out, dead letters, handler latency and failures, consumer lag and stalls, per topic.
/// One per process (a DI singleton, registered by AddKafka): its meter comes from the host's
/// <see cref="IMeterFactory"/>, so it is disposed with the host and test hosts do not share it.
/// </summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "Streaming.Messaging";

    private readonly Counter<long> _consumed;
    private readonly Counter<long> _produced;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _deadLetterFailed;
    private readonly Counter<long> _handlerFailures;
    private readonly Counter<long> _skippedByReset;
    private readonly Histogram<double> _handlerDuration;
    private readonly Dictionary<string, long> _lags = [];
    private readonly List<KafkaConsumerService> _consumers = [];

    public MessagingMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _consumed = meter.CreateCounter<long>("streaming.messages.consumed", "{message}");
        _produced = meter.CreateCounter<long>("streaming.messages.produced", "{message}");
        _deadLettered = meter.CreateCounter<long>("streaming.messages.deadlettered", "{message}");
        _deadLetterFailed = meter.CreateCounter<long>(
            "streaming.messages.deadletter_failed", "{message}", "Messages skipped because their dead letter could not be written.");
        _handlerFailures = meter.CreateCounter<long>(
            "streaming.handler.failures", "{failure}", "Failed handler attempts, by topic and kind.");
        _handlerDuration = meter.CreateHistogram<double>("streaming.handler.duration", "ms");
        _skippedByReset = meter.CreateCounter<long>(
            "streaming.messages.skipped_by_reset", "{message}",
            "Messages a consumer's position jumped over after an error (the broker no longer held them, usually retention): never handled.");
        meter.CreateObservableGauge("streaming.consumer.lag", ObserveLag, "{message}");
        meter.CreateObservableGauge(
            "streaming.consumer.stalled", ObserveStalled, "{consumer}",
            "1 while a consumer of the topic makes no progress (paused through an outage, or not polling) for longer than Kafka:ConsumerStalledAfterMs.");
    }

    public void RecordConsumed(string topic, int count) => _consumed.Add(count, Topic(topic));

    public void RecordProduced(string topic) => _produced.Add(1, Topic(topic));

    public void RecordDeadLettered(string topic) => _deadLettered.Add(1, Topic(topic));

    /// <summary>A message that could not even be dead-lettered (logged at Error with its offset) and was skipped.</summary>
    public void RecordDeadLetterFailed(string topic) => _deadLetterFailed.Add(1, Topic(topic));

    /// <summary>A failed handler attempt by kind (permanent, transient, unknown), each try counted.</summary>
    public void RecordHandlerFailure(string topic, string kind) =>
        _handlerFailures.Add(1, Topic(topic), new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Messages jumped over by an offset reset (<see cref="OffsetReset"/>), never handled.</summary>
    public void RecordSkippedByReset(string topic, long count) => _skippedByReset.Add(count, Topic(topic));

    public void RecordHandlerDuration(string topic, TimeSpan elapsed) => _handlerDuration.Record(elapsed.TotalMilliseconds, Topic(topic));

    public void RecordLag(string topic, long lag)
    {
        lock (_lags) _lags[topic] = lag;
    }

    internal void Track(KafkaConsumerService consumer)
    {
        lock (_consumers) _consumers.Add(consumer);
    }

    internal void Untrack(KafkaConsumerService consumer)
    {
        lock (_consumers) _consumers.Remove(consumer);
    }

    private static KeyValuePair<string, object?> Topic(string topic) => new("topic", topic);

    private IEnumerable<Measurement<long>> ObserveLag()
    {
        lock (_lags)
            return _lags.Select(kv => new Measurement<long>(kv.Value, Topic(kv.Key))).ToList();
    }

    private IEnumerable<Measurement<int>> ObserveStalled()
    {
        List<KafkaConsumerService> consumers;
        lock (_consumers) consumers = [.. _consumers];
        return consumers
            .GroupBy(c => c.ConsumedTopic)
            .Select(g => new Measurement<int>(g.Any(c => c.GetProgress().Stalled) ? 1 : 0, Topic(g.Key)))
            .ToList();
    }
}
