using Confluent.Kafka;
using Google.Protobuf;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.Alerting;

/// <summary>Produces alerts (or raw bytes) and reads dead letters from the embedded cluster.</summary>
internal sealed class AlertKafka(string bootstrapServers) : IDisposable
{
    public static readonly DateTimeOffset AlertTime = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private readonly KafkaOptions _options = new() { BootstrapServers = bootstrapServers, SessionTimeoutMs = 3000, HeartbeatIntervalMs = 500 };
    private readonly IProducer<byte[], byte[]> _producer = new ProducerBuilder<byte[], byte[]>(
        KafkaClientConfigs.Producer(new KafkaOptions { BootstrapServers = bootstrapServers }, "alerting-tests")).Build();

    public static Alert NewAlert(string alertId, string streamId = "tenant-a") => new()
    {
        Header = new EventHeader
        {
            SchemaVersion = SchemaVersions.Current,
            EventId = Guid.NewGuid().ToString(),
            Model = "mnist-cnn",
            ModelVersion = "3",
            StreamId = streamId,
            Timestamp = Timestamp.FromDateTimeOffset(AlertTime),
        },
        AlertId = alertId,
        WindowId = "w-17",
        RejectedLayers = { "conv2" },
        CombinedPValue = 0.002,
        Alpha = 0.05,
        Layers =
        {
            new LayerResult { Layer = "conv1", Mmd2 = 0.01, PValue = 0.4, Rejected = false, Permutations = 500 },
            new LayerResult { Layer = "conv2", Mmd2 = 0.25, PValue = 0.001, Rejected = true, Permutations = 500 },
        },
        TopEventIds = { "e-9", "e-4" },
        LastEventTimestamp = Timestamp.FromDateTimeOffset(AlertTime.AddSeconds(-1)),
        Severity = "high",
    };

    public Task ProduceAsync(Alert alert) => ProduceAsync(alert.Header.StreamId, alert.ToByteArray());

    public async Task ProduceAsync(string key, byte[] value) =>
        await _producer.ProduceAsync(Topics.Alerts, new Message<byte[], byte[]> { Key = System.Text.Encoding.UTF8.GetBytes(key), Value = value });

    /// <summary>Reads dead letters from the start until <paramref name="count"/> arrived or the timeout passed.</summary>
    public List<DeadLetter> ReadDeadLetters(int count, TimeSpan timeout)
    {
        var letters = new List<DeadLetter>();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(_options, "dl-reader", "dl-reader-" + Guid.NewGuid())).Build();
        consumer.Subscribe(Topics.DeadLetterOf(Topics.Alerts));
        var deadline = DateTime.UtcNow + timeout;
        while (letters.Count < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null || result.IsPartitionEOF) continue;
            letters.Add(DeadLetter.Parser.ParseFrom(result.Message.Value));
        }

        consumer.Close();
        return letters;
    }

    public void Dispose() => _producer.Dispose();
}
