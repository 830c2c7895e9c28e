using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Contracts;
using Streaming.LocalStack.Kafka;
using Streaming.Messaging;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Streaming.IntegrationTests.Console;

/// <summary>An embedded cluster with the console's topics, and detections and alerts to produce on it.</summary>
internal sealed class ConsoleKafka : IDisposable
{
    public const string Model = "mnist-cnn";

    public static readonly DateTimeOffset T0 = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private readonly IProducer<byte[], byte[]> _producer;

    public ConsoleKafka()
    {
        Cluster = MockKafkaCluster.Start();
        Cluster.CreateTopic(Topics.Detections, 3);
        Cluster.CreateTopic(Topics.Alerts, 3);
        Cluster.CreateTopic(Topics.DeadLetterOf(Topics.Detections), 1);
        Cluster.CreateTopic(Topics.DeadLetterOf(Topics.Alerts), 1);
        _producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(new KafkaOptions { BootstrapServers = Cluster.BootstrapServers }, "console-tests")).Build();
    }

    public MockKafkaCluster Cluster { get; }

    public string BootstrapServers => Cluster.BootstrapServers;

    public static DetectionResult Detection(string stream, int window, double pValue, bool alert, double attackShare = 0) => new()
    {
        Header = Header(stream, T0.AddSeconds(window)),
        WindowId = $"{stream}-w{window}",
        CombinedPValue = pValue,
        Alpha = 0.05,
        Alert = alert,
        WindowSize = 100,
        LastEventTimestamp = Timestamp.FromDateTimeOffset(T0.AddSeconds(window)),
        AttackShare = attackShare,
        Status = "tested",
        Layers =
        {
            new LayerResult { Layer = "conv1", PValue = Math.Min(1, pValue * 2), Rejected = false, Permutations = 200 },
            new LayerResult { Layer = "fc1", PValue = pValue, Rejected = alert, Permutations = 200 },
        },
    };

    public static Alert Alert(string alertId, string stream, int window, params (string EventId, double PValue)[] events)
    {
        var alert = new Alert
        {
            Header = Header(stream, T0.AddSeconds(window)),
            AlertId = alertId,
            WindowId = $"{stream}-w{window}",
            RejectedLayers = { "fc1" },
            CombinedPValue = 0.001,
            Alpha = 0.05,
            Layers =
            {
                new LayerResult { Layer = "conv1", Mmd2 = 0.01, PValue = 0.3 },
                new LayerResult { Layer = "fc1", Mmd2 = 0.2, PValue = 0.0005, Rejected = true },
            },
            LastEventTimestamp = Timestamp.FromDateTimeOffset(T0.AddSeconds(window)),
            Severity = "high",
        };
        foreach (var (eventId, pValue) in events)
            alert.SuspiciousEvents.Add(new SuspiciousEvent { EventId = eventId, StreamId = stream, PValue = pValue, Layer = "fc1", Flagged = true });
        return alert;
    }

    public Task ProduceAsync(DetectionResult detection) => ProduceAsync(Topics.Detections, detection.Header.StreamId, detection.ToByteArray());

    public Task ProduceAsync(Alert alert) => ProduceAsync(Topics.Alerts, alert.Header.StreamId, alert.ToByteArray());

    public void Dispose()
    {
        _producer.Dispose();
        Cluster.Dispose();
    }

    private static EventHeader Header(string stream, DateTimeOffset time) => new()
    {
        SchemaVersion = SchemaVersions.Current,
        EventId = Guid.NewGuid().ToString("N"),
        Model = Model,
        ModelVersion = "1",
        StreamId = stream,
        Timestamp = Timestamp.FromDateTimeOffset(time),
    };

    private async Task ProduceAsync(string topic, string key, byte[] value) =>
        await _producer.ProduceAsync(topic, new Message<byte[], byte[]> { Key = System.Text.Encoding.UTF8.GetBytes(key), Value = value });
}
