using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Contracts;
using Streaming.Control.Replay;
using Streaming.Detection;
using Streaming.IntegrationTests.EndToEnd;
using Streaming.Messaging;
using Streaming.LocalStack.Kafka;

namespace Streaming.IntegrationTests.Control.Replay;

public sealed class TopicCalibratorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Calibrate_CleanTimeRange_SplitsExactlyThoseEventsIntoReferenceAndCalibration()
    {
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic(Topics.Activations, 2);
        var produced = Produce(kafka, 300);
        var path = Path.Combine(Path.GetTempPath(), $"calibrated-{Guid.NewGuid():N}.ref");
        try
        {
            using var reader = new ActivationRangeReader(kafka.BootstrapServers, Topics.Activations, new ReplayBoundary(T0.AddSeconds(100), null), null, stream: "cam");

            var reference = TopicCalibrator.Calibrate(reader, "synthetic", 150, 50, seed: 4, path, CancellationToken.None);

            // The range holds 200 events: all of them are sampled, 150 into the reference and 50 into the split.
            var inRange = produced.Skip(100).Select(e => Key(e.Layers[0].Values)).Order().ToArray();
            var layer = Assert.Single(reference.Layers);
            var split = Assert.IsType<Streaming.Detection.Scoring.CalibrationSplit>(reference.Calibration);
            Assert.Equal((150, 8, 50), (layer.Count, layer.Dimension, split.Count));
            var sampled = Rows(layer.Vectors, 8).Concat(Rows(split.Vectors[0], 8)).Select(Key).Order().ToArray();
            Assert.Equal(inRange, sampled);
            var direct = ReferenceCalibrator.Create("synthetic", "v1", new Dictionary<string, float[][]> { ["fc1"] = [.. Rows(layer.Vectors, 8)] }, TimeProvider.System);
            Assert.Equal(direct.Layers[0].Bandwidth, layer.Bandwidth);
            var loaded = ReferenceFile.Load(path);
            Assert.Equal(reference.Layers[0].Vectors, loaded.Layers[0].Vectors);
            Assert.Equal(split.Vectors[0], loaded.Calibration!.Vectors[0]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Calibrate_LongRange_SamplesFromTheWholeRangeNotItsStart()
    {
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic(Topics.Activations, 1);
        var produced = Produce(kafka, 300);
        var position = produced.Select((e, i) => (Key(e.Layers[0].Values), i)).ToDictionary(p => p.Item1, p => p.i);
        var path = Path.Combine(Path.GetTempPath(), $"calibrated-{Guid.NewGuid():N}.ref");
        try
        {
            using var reader = new ActivationRangeReader(kafka.BootstrapServers, Topics.Activations, new ReplayBoundary(T0, null), null);

            var reference = TopicCalibrator.Calibrate(reader, "synthetic", 20, 10, seed: 4, path, CancellationToken.None);

            var indices = Rows(reference.Layers[0].Vectors, 8).Concat(Rows(reference.Calibration!.Vectors[0], 8)).Select(r => position[Key(r)]).ToArray();
            Assert.Equal(30, indices.Distinct().Count());
            Assert.Contains(indices, i => i >= 150);
            Assert.Contains(indices, i => i < 150);
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

        var ex = Assert.Throws<InvalidOperationException>(() => TopicCalibrator.Calibrate(reader, "synthetic", 100, 10, seed: 1, "/tmp/never-written.ref", CancellationToken.None));

        Assert.Contains("1 event(s)", ex.Message);
    }

    private static string Key(IEnumerable<float> values) => string.Join(",", values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

    private static IEnumerable<float[]> Rows(float[] flat, int dimension) => flat.Chunk(dimension);

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
