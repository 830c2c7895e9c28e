using Streaming.Messaging;
using Streaming.LocalStack.Kafka;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// Client settings for the embedded mock cluster, for the test's own clients and for service
/// processes: short session and heartbeat, so a consumer group forms in well under a second.
/// </summary>
internal static class MockKafkaSettings
{
    public static KafkaOptions Options(MockKafkaCluster kafka) =>
        new() { BootstrapServers = kafka.BootstrapServers, SessionTimeoutMs = 3000, HeartbeatIntervalMs = 500 };

    /// <summary>The same settings as environment variables, plus <paramref name="more"/>.</summary>
    public static Dictionary<string, string> Environment(MockKafkaCluster kafka, IEnumerable<KeyValuePair<string, string>> more)
    {
        var environment = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka__SessionTimeoutMs"] = "3000",
            ["Kafka__HeartbeatIntervalMs"] = "500",
        };
        foreach (var (key, value) in more)
            environment[key] = value;
        return environment;
    }
}
