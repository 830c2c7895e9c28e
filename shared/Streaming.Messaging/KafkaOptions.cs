using System.ComponentModel.DataAnnotations;

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
    [Range(1000, 300_000, ErrorMessage = "Kafka:SessionTimeoutMs must be between 1000 and 300000.")]
    public int SessionTimeoutMs { get; set; } = 10_000;

    [Range(100, 60_000, ErrorMessage = "Kafka:HeartbeatIntervalMs must be between 100 and 60000.")]
    public int HeartbeatIntervalMs { get; set; } = 3_000;

    /// <summary>Extra librdkafka properties (security.protocol, sasl.*, …) passed through unchanged.</summary>
    public Dictionary<string, string> Properties { get; set; } = [];
}
