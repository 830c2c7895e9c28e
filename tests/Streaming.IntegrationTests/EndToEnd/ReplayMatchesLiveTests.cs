using System.Text;
using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Control.Replay;
using Streaming.Detection;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Processes;
using Streaming.LocalStack.Servers;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// A replay of a recorded activations topic gives the detections the live services gave (same
/// reference and seeds). The live detector starts only once every window is waiting, so it works
/// through a backlog in batches (WindowTester.TestMany) while the replay tests one window at a
/// time: equal p-values prove batching changes no result.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class ReplayMatchesLiveTests
{
    private const int EventsPerStream = 200;

    [Fact]
    public async Task Replay_RecordedTopic_SameWindowsAndDecisionsAsLive()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        var paths = RepoPaths.Discover();
        var referencePath = SyntheticActivations.SaveReference("synthetic");
        using var kafka = MockKafkaCluster.Start();
        KafkaTopology.CreateAll(kafka);
        await using var redis = await RedisServerProcess.StartAsync(ct);
        var environment = MockKafkaSettings.Environment(kafka, new Dictionary<string, string>
        {
            ["Redis__ConnectionString"] = redis.ConnectionString,
            ["WindowStore__Size"] = "50",
            ["WindowStore__Slide"] = "25",
            // The replay builds the stream windows only, so the live run is compared without model-wide windows.
            ["WindowStore__ModelWide__Enabled"] = "false",
            ["Detector__ReferencePath"] = referencePath,
            ["Detector__Permutations"] = "200",
            ["Detector__MaxBatch"] = "16",
        });
        var logs = Path.Combine(paths.Artifacts, "test-logs", nameof(ReplayMatchesLiveTests));
        using var http = new HttpClient();
        var options = MockKafkaSettings.Options(kafka);
        try
        {
            await using var windowing = ServiceProcess.Start("Windowing", paths.ServiceDll("Windowing"), environment, logs);
            await windowing.WaitHealthyAsync(http, TimeSpan.FromSeconds(60), ct);
            using var windows = new TopicReader(options, Topics.Windows);
            using var detections = new TopicReader(options, Topics.Detections);
            using (var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(options, "test")).Build())
            {
                var random = new Random(11);
                for (var i = 0; i < EventsPerStream; i++)
                {
                    foreach (var (stream, shift) in new[] { ("steady", 0f), ("drifting", 0.3f) })
                    {
                        var activation = SyntheticActivations.Create("synthetic", stream, i, random, shift);
                        producer.Produce(Topics.Activations, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(stream), Value = SyntheticActivations.Bytes(activation) });
                    }
                }

                Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
            }

            var expected = 2 * (((EventsPerStream - 50) / 25) + 1);
            await windows.WaitForAsync(expected, TimeSpan.FromSeconds(120), ct);
            await using var detector = ServiceProcess.Start("Detector", paths.ServiceDll("Detector"), environment, logs);
            await detector.WaitHealthyAsync(http, TimeSpan.FromSeconds(60), ct);
            await detections.WaitForAsync(expected, TimeSpan.FromSeconds(120), ct);
            var (batches, batchedWindows) = BatchSizeHistogram(await http.GetStringAsync(new Uri(detector.BaseAddress, "/metrics"), ct));
            Assert.Equal(expected, batchedWindows);
            Assert.True(batches < expected, $"the backlog of {expected} windows was tested in {batches} device calls; batching expected fewer");
            var live = detections.Messages.Select(m => DetectionResult.Parser.ParseFrom(m.Value)).GroupBy(d => d.WindowId).ToDictionary(g => g.Key, g => g.First());

            var replay = new ReplayRunner(new ReplayOptions
            {
                BootstrapServers = kafka.BootstrapServers,
                ReferencePath = referencePath,
                WindowSize = 50,
                WindowSlide = 25,
                Permutations = 200,
            }).Run(null, ct);

            Assert.Equal(2 * EventsPerStream, replay.Events);
            Assert.Equal(live.Keys.Order(), replay.Results.Select(r => r.WindowId).Order());
            foreach (var window in replay.Results)
            {
                var liveResult = live[window.WindowId];
                Assert.Equal(liveResult.Alert, window.Alert);
                Assert.Equal(liveResult.CombinedPValue, window.CombinedPValue, 1e-9);
            }

            Assert.Equal(1.0, replay.TruePositiveRate);
            Assert.True(replay.FalsePositiveRate <= 0.5, $"false positives {replay.FalsePositiveRate}");

            var plots = ReplayPlot.Save(replay, Path.Combine(paths.Artifacts, "test-logs", nameof(ReplayMatchesLiveTests), "replay"), 0.05);
            Assert.Equal(2, plots.Count);
            Assert.All(plots, png => Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]));
        }
        finally
        {
            File.Delete(referencePath);
        }
    }

    /// <summary>(count, sum) of the streaming_detector_batch_size histogram in Prometheus text format.</summary>
    private static (long Count, long Sum) BatchSizeHistogram(string metrics)
    {
        double Value(string suffix) => metrics.Split('\n')
            .Where(l => l.StartsWith("streaming_detector_batch_size", StringComparison.Ordinal) && l.Split(' ')[0].Split('{')[0].EndsWith(suffix, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        return ((long)Value("_count"), (long)Value("_sum"));
    }
}
