using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Contracts;
using Streaming.Control.Replay;
using Streaming.Detection;
using Streaming.IntegrationTests.EndToEnd;
using Streaming.Messaging;
using Streaming.Messaging.Mock;

namespace Streaming.IntegrationTests.Replay;

public sealed class TopicCalibratorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Calibrate_CleanTimeRange_BuildsTheReferenceOfExactlyThoseEvents()
    {
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic(Topics.Activations, 2);
        var produced = Produce(kafka, 300);
        var path = Path.Combine(Path.GetTempPath(), $"calibrated-{Guid.NewGuid():N}.ref");
        try
        {
            using var reader = new ActivationRangeReader(kafka.BootstrapServers, Topics.Activations, new ReplayBoundary(T0.AddSeconds(100), null), null, stream: "cam");

            var reference = TopicCalibrator.Calibrate(reader, "synthetic", 150, path, CancellationToken.None);

            var expected = produced.Skip(100).Take(150).Select(e => e.Layers[0].Values.ToArray()).ToArray();
            var direct = ReferenceCalibrator.Create("synthetic", "v1", new Dictionary<string, float[][]> { ["fc1"] = expected }, TimeProvider.System);
            var layer = Assert.Single(reference.Layers);
            Assert.Equal((150, 8), (layer.Count, layer.Dimension));
            Assert.Equal(direct.Layers[0].Vectors, layer.Vectors);
            Assert.Equal(direct.Layers[0].Bandwidth, layer.Bandwidth);
            Assert.Equal(reference.Layers[0].Vectors, ReferenceFile.Load(path).Layers[0].Vectors);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Calibrate_RangeWithTooFewEvents_SaysHowManyItHas()
    {
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic(Topics.Activations, 1);
        Produce(kafka, 10);
        using var reader = new ActivationRangeReader(kafka.BootstrapServers, Topics.Activations, new ReplayBoundary(T0.AddSeconds(9), null), null);

        var ex = Assert.Throws<InvalidOperationException>(() => TopicCalibrator.Calibrate(reader, "synthetic", 100, "/tmp/never-written.ref", CancellationToken.None));

        Assert.Contains("1 event(s)", ex.Message);
    }

    private static List<ActivationEvent> Produce(MockKafkaCluster kafka, int count)
    {
        var options = new KafkaOptions { BootstrapServers = kafka.BootstrapServers };
        var random = new Random(3);
        var events = new List<ActivationEvent>();
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(options, "p")).Build();
        for (var i = 0; i < count; i++)
        {
            var activation = SyntheticActivations.Create("synthetic", "cam", i, random);
            activation.Header.ModelVersion = "v1";
            events.Add(activation);
            producer.Produce(Topics.Activations, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("cam"), Value = activation.ToByteArray(), Timestamp = new Timestamp(T0.AddSeconds(i)) });
        }

        producer.Flush(TimeSpan.FromSeconds(10));
        return events;
    }
}
