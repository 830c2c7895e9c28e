using System.ComponentModel.DataAnnotations;
using Streaming.Contracts.Validation;

namespace Streaming.Messaging;

/// <summary>Connection settings shared by every Kafka client of a service (section "Kafka").</summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Kafka";

    /// <summary>Comma-separated host:port list: a real cluster or the embedded mock cluster.</summary>
    [Required(ErrorMessage = "Kafka:BootstrapServers is required (host:port[,host:port]).")]
    public string BootstrapServers { get; set; } = "";

    /// <summary>
    /// Consumer session timeout. Real brokers refuse values below group.min.session.timeout.ms
    /// (6 s by default); the embedded mock accepts 3 s, which makes restarts rebalance faster.
    /// </summary>
    [SettingRange(1000, 300_000, ErrorMessage = "Kafka:SessionTimeoutMs must be between 1000 and 300000.")]
    public int SessionTimeoutMs { get; set; } = 10_000;

    [SettingRange(100, 60_000, ErrorMessage = "Kafka:HeartbeatIntervalMs must be between 100 and 60000.")]
    public int HeartbeatIntervalMs { get; set; } = 3_000;

    /// <summary>
    /// A consumer that has worked on the same message (or batch), or not polled, for longer than
    /// this reports Unhealthy on /health/ready and 1 in streaming.consumer.stalled: typically it
    /// holds its partitions paused through an outage of Redis, RabbitMQ or Kafka.
    /// </summary>
    [SettingRange(1000, 3_600_000, ErrorMessage = "Kafka:ConsumerStalledAfterMs must be between 1000 and 3600000.")]
    public int ConsumerStalledAfterMs { get; set; } = 30_000;

    /// <summary>
    /// Dead letters keep at most this many bytes of the original payload (and flag it truncated),
    /// so that a dead letter always fits in a Kafka message; the original stays at its offset.
    /// </summary>
    [SettingRange(1024, 900_000, ErrorMessage = "Kafka:DeadLetterMaxPayloadBytes must be between 1024 and 900000.")]
    public int DeadLetterMaxPayloadBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Extra librdkafka properties (security.protocol, sasl.*, max.poll.interval.ms, …) passed through
    /// unchanged to every client they apply to: consumer-only ones to consumers, producer-only ones to
    /// producers, the rest to all (see <see cref="KafkaPropertyScope"/>).
    /// </summary>
    public Dictionary<string, string> Properties { get; set; } = [];
}
