using System.Text;
using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.IntegrationTests.Alerting;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Processes;
using Streaming.LocalStack.Servers;
using Streaming.Messaging;
using Xunit.Abstractions;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// Online mode with its state in Redis (the default), as real processes: the first Detector is
/// killed with SIGKILL mid-stream, a second one takes its partitions and continues every stream
/// where the first left it (same run length, window and event ids), skipping every event Kafka
/// delivers again.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class OnlineStateMovesWithPartitionTests(ITestOutputHelper output)
{
    private const int ChangeAt = 150;
    private const int KillAfter = 140;
    private const int Events = 220;

    [Fact]
    public async Task FirstInstanceKilled_SecondContinuesEveryStreamFromTheStoredState()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        var paths = RepoPaths.Discover();
        var referencePath = SyntheticActivations.SaveReference("online-state");
        using var kafka = MockKafkaCluster.Start();
        KafkaTopology.CreateAll(kafka);
        await using var redis = await RedisServerProcess.StartAsync(ct);
        var environment = MockKafkaSettings.Environment(kafka, new Dictionary<string, string>
        {
            ["Redis__ConnectionString"] = redis.ConnectionString,
            ["Detector__Mode"] = "online",
            ["Detector__ReferencePath"] = referencePath,
            ["Detector__Online__WindowSize"] = "10",
            ["Detector__Online__ExpectedRunTime"] = "10000",
            ["Detector__Online__Bootstraps"] = "50000",
        });
        var logs = Path.Combine(paths.Artifacts, "test-logs", nameof(OnlineStateMovesWithPartitionTests));
        using var http = new HttpClient();
        var options = MockKafkaSettings.Options(kafka);
        string[] streams = ["steady", "drifting", "third"];
        try
        {
            await using var first = ServiceProcess.Start("Detector", paths.ServiceDll("Detector"), environment, logs);
            await first.WaitHealthyAsync(http, TimeSpan.FromSeconds(90), ct);
            using var alerts = new TopicReader(options, Topics.Alerts);
            using var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(options, "test")).Build();
            var random = new Random(11);
            void Produce(int from, int to)
            {
                for (var i = from; i < to; i++)
                {
                    foreach (var stream in streams)
                    {
                        var shift = stream == "drifting" && i >= ChangeAt ? 0.3f : 0f;
                        var activation = SyntheticActivations.Create("synthetic", stream, i, random, shift);
                        producer.Produce(Topics.Activations, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(stream), Value = SyntheticActivations.Bytes(activation) });
                    }
                }

                Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
            }

            Produce(0, KillAfter);
            await OnlineDetectorServiceTests.WaitForOnlineEventsAsync(http, first, KillAfter * streams.Length, ct);
            first.Kill();
            // Far more than a crash redelivers: the group's offsets go back to the start (once the killed
            // member's session has expired), so the next owner gets every event again and must skip them all.
            RewindGroup(options, "detector-online", ct);
            await using var second = ServiceProcess.Start("Detector", paths.ServiceDll("Detector"), environment, logs);
            await second.WaitHealthyAsync(http, TimeSpan.FromSeconds(90), ct);
            Produce(KillAfter, Events);
            await OnlineDetectorServiceTests.WaitForOnlineEventsAsync(http, second, (Events - KillAfter) * streams.Length, ct);
            await Eventually.WaitUntilAsync(() => Drifting(alerts).Any(a => OnlineDetectorServiceTests.EventIndex(a.WindowId) >= ChangeAt), TimeSpan.FromSeconds(90), ct);

            var drifting = Drifting(alerts).OrderBy(a => OnlineDetectorServiceTests.EventIndex(a.WindowId)).ToList();
            var firstAfterChange = drifting.First(a => OnlineDetectorServiceTests.EventIndex(a.WindowId) >= ChangeAt);
            int trigger = OnlineDetectorServiceTests.EventIndex(firstAfterChange.WindowId);
            // Run length counts from the previous alarm of the stream, or from its first event: across the kill.
            int previousAlarm = drifting.Where(a => OnlineDetectorServiceTests.EventIndex(a.WindowId) < trigger)
                .Select(a => OnlineDetectorServiceTests.EventIndex(a.WindowId)).DefaultIfEmpty(-1).Max();
            output.WriteLine($"first alarm after the change at event {trigger}, run length {firstAfterChange.RunLength}, previous alarm {previousAlarm}; top events {string.Join(' ', firstAfterChange.TopEventIds)}");
            Assert.InRange(trigger, ChangeAt, ChangeAt + 10);
            Assert.Equal((ulong)(trigger - previousAlarm), firstAfterChange.RunLength);
            // The window restored with its event ids: every event the alert ranks is one of the last ten.
            Assert.All(firstAfterChange.TopEventIds, id => Assert.InRange(OnlineDetectorServiceTests.EventIndex(id), trigger - 9, trigger));
            // Every event the first instance applied came again and was skipped, none applied twice.
            double replayed = 0;
            for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline && replayed < KillAfter * streams.Length; await Task.Delay(200, ct))
                replayed = await MetricAsync(http, second, "streaming_detector_online_replayed", ct);
            Assert.Equal(KillAfter * streams.Length, replayed);
            var secondLog = await File.ReadAllTextAsync(second.LogPath, ct);
            Assert.Contains("continues from its stored state", secondLog, StringComparison.Ordinal);
            // No false alarm from the move: clean streams raise none (ERT 10,000; 440 clean events).
            var clean = alerts.Messages.Select(m => Alert.Parser.ParseFrom(m.Value)).Where(a => a.Header.StreamId != "drifting").ToList();
            Assert.True(clean.Count <= 1, $"{clean.Count} alarms on the clean streams");
        }
        finally
        {
            File.Delete(referencePath);
        }
    }

    /// <summary>Joins the group (the embedded broker takes commits only from members), takes every partition and commits offset 0.</summary>
    private static void RewindGroup(KafkaOptions options, string groupId, CancellationToken ct)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = options.BootstrapServers }).Build();
        int partitions = admin.GetMetadata(Topics.Activations, TimeSpan.FromSeconds(10)).Topics[0].Partitions.Count;
        using var consumer = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(options, "test-rewind", groupId)).Build();
        consumer.Subscribe(Topics.Activations);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (consumer.Assignment.Count < partitions)
        {
            ct.ThrowIfCancellationRequested();
            Assert.True(DateTime.UtcNow < deadline, $"the rewinding consumer got {consumer.Assignment.Count} of {partitions} partitions");
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        consumer.Commit([.. consumer.Assignment.Select(p => new TopicPartitionOffset(p, 0))]);
        consumer.Close();
    }

    private static async Task<double> MetricAsync(HttpClient http, ServiceProcess service, string name, CancellationToken ct)
    {
        var metrics = await http.GetStringAsync(new Uri(service.BaseAddress, "/metrics"), ct);
        return metrics.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static IEnumerable<Alert> Drifting(TopicReader alerts) =>
        alerts.Messages.Select(m => Alert.Parser.ParseFrom(m.Value)).Where(a => a.Header.StreamId == "drifting")
            .GroupBy(a => a.AlertId).Select(g => g.First());
}
