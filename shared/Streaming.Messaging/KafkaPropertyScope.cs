namespace Streaming.Messaging;

/// <summary>
/// Which Kafka:Properties apply to which kind of client. librdkafka marks each property C (consumer
/// only), P (producer only) or * (both) in its CONFIGURATION.md, and logs a CONFWARN warning at start
/// for every property of the other kind. One Properties section serves every client of a service (a
/// service has consumers, a producer and an admin client), so each client gets the properties of its
/// kind and those of both, and the others are left out instead of warned about. The lists are the C and
/// P rows of librdkafka 2.x's CONFIGURATION.md (global and topic properties, aliases included).
/// </summary>
public static class KafkaPropertyScope
{
    private static readonly HashSet<string> ConsumerOnly = new(StringComparer.Ordinal)
    {
        "group.id", "group.instance.id", "partition.assignment.strategy", "session.timeout.ms",
        "heartbeat.interval.ms", "group.protocol.type", "group.protocol", "group.remote.assignor",
        "coordinator.query.interval.ms", "max.poll.interval.ms", "enable.auto.commit", "auto.commit.enable",
        "auto.commit.interval.ms", "enable.auto.offset.store", "queued.min.messages", "queued.max.messages.kbytes",
        "fetch.wait.max.ms", "fetch.queue.backoff.ms", "fetch.message.max.bytes", "max.partition.fetch.bytes",
        "fetch.max.bytes", "fetch.min.bytes", "fetch.error.backoff.ms", "offset.store.method", "offset.store.path",
        "offset.store.sync.interval.ms", "isolation.level", "enable.partition.eof", "check.crcs", "max.poll.records",
        "share.acknowledgement.mode", "auto.offset.reset", "consume.callback.max.messages",
    };

    private static readonly HashSet<string> ProducerOnly = new(StringComparer.Ordinal)
    {
        "transactional.id", "transaction.timeout.ms", "enable.idempotence", "enable.gapless.guarantee",
        "queue.buffering.max.messages", "queue.buffering.max.kbytes", "queue.buffering.max.ms", "linger.ms",
        "message.send.max.retries", "retries", "queue.buffering.backpressure.threshold", "compression.codec",
        "compression.type", "compression.level", "batch.num.messages", "batch.size", "delivery.report.only.error",
        "sticky.partitioning.linger.ms", "request.required.acks", "acks", "request.timeout.ms", "message.timeout.ms",
        "delivery.timeout.ms", "queuing.strategy", "produce.offset.report", "partitioner",
    };

    /// <summary>Whether a consumer takes <paramref name="property"/> (everything but producer-only properties).</summary>
    public static bool AppliesToConsumer(string property) => !ProducerOnly.Contains(property);

    /// <summary>Whether a producer (or an admin client, a producer inside librdkafka) takes <paramref name="property"/>.</summary>
    public static bool AppliesToProducer(string property) => !ConsumerOnly.Contains(property);
}
