using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Detection;
using Streaming.IntegrationTests.Alerting;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Processes;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// The Detector service in online mode as a real process: activation events straight from Kafka,
/// one sequential detector per stream, alarms on the alerts topic, bad events dead-lettered.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class OnlineDetectorServiceTests
{
    private const int ChangeAt = 150;

    [Fact]
    public async Task OnlineMode_StreamThatDrifts_AlarmsRightAfterTheChangeWithTheDriftedEventsOnTop()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        var paths = RepoPaths.Discover();
        var referencePath = SyntheticActivations.SaveReference("online");
        using var kafka = MockKafkaCluster.Start();
        KafkaTopology.CreateAll(kafka);
        var environment = MockKafkaSettings.Environment(kafka, new Dictionary<string, string>
        {
            ["Detector__Mode"] = "online",
            ["Detector__ReferencePath"] = referencePath,
            ["Detector__Online__WindowSize"] = "10",
            // A false alarm every 10,000 clean events, configured.
            ["Detector__Online__ExpectedRunTime"] = "10000",
            ["Detector__Online__Bootstraps"] = "50000",
            // This test is about one process; OnlineStateMovesWithPartitionTests covers the stored state.
            ["Detector__Online__State"] = "Memory",
        });
        var logs = Path.Combine(paths.Artifacts, "test-logs", nameof(OnlineDetectorServiceTests));
        using var http = new HttpClient();
        var options = MockKafkaSettings.Options(kafka);
        try
        {
            await using var detector = ServiceProcess.Start("Detector", paths.ServiceDll("Detector"), environment, logs);
            await detector.WaitHealthyAsync(http, TimeSpan.FromSeconds(90), ct);
            using var alerts = new TopicReader(options, Topics.Alerts);
            using var deadLetters = new TopicReader(options, Topics.DeadLetterOf(Topics.Activations));
            using (var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(options, "test")).Build())
            {
                var random = new Random(11);
                for (var i = 0; i < 250; i++)
                {
                    foreach (var (stream, shift) in new[] { ("steady", 0f), ("drifting", i < ChangeAt ? 0f : 0.3f) })
                    {
                        var activation = SyntheticActivations.Create("synthetic", stream, i, random, shift);
                        producer.Produce(Topics.Activations, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(stream), Value = SyntheticActivations.Bytes(activation) });
                    }
                }

                producer.Produce(Topics.Activations, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("steady"), Value = [0xFF, 0x01, 0x02] });
                Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
            }

            await deadLetters.WaitForAsync(1, TimeSpan.FromSeconds(60), ct);
            await WaitForOnlineEventsAsync(http, detector, 500, ct);
            // Alerts are produced after the events that raise them are counted; give the last ones time to land.
            await Eventually.WaitUntilAsync(() => alerts.Messages.Count(m => Alert.Parser.ParseFrom(m.Value).Header.StreamId == "drifting") >= 5, TimeSpan.FromSeconds(15), ct);

            var raised = alerts.Messages.Select(m => Alert.Parser.ParseFrom(m.Value)).ToList();
            Assert.All(raised, a => Assert.Equal("online", a.Mode));
            // 400 clean events at an ERT of 10,000: a false alarm is possible, several would mean broken thresholds.
            var falseAlarms = raised.Count(a => a.Header.StreamId == "steady" || EventIndex(a.WindowId) < ChangeAt);
            Assert.True(falseAlarms <= 1, $"{falseAlarms} alarms on 400 clean events");
            var afterChange = raised.Where(a => a.Header.StreamId == "drifting" && EventIndex(a.WindowId) >= ChangeAt).ToList();
            var first = afterChange[0];
            int trigger = EventIndex(first.WindowId);
            Assert.InRange(trigger, ChangeAt, ChangeAt + 10);
            Assert.Equal(["fc1"], first.RejectedLayers);
            Assert.True(first.Layers[0].Mmd2 > first.Layers[0].Threshold);
            // The witness ranking puts drifted events first.
            Assert.All(first.TopEventIds.Take(Math.Min(3, trigger - ChangeAt + 1)), id => Assert.True(EventIndex(id) >= ChangeAt, $"{id} is from before the change"));
            // The attack goes on, so the detector, restarted after each alarm, keeps alarming: every few events.
            Assert.True(afterChange.Count >= 5, $"{afterChange.Count} alarms in the 100 drifted events");
            Assert.All(afterChange.Skip(1), a => Assert.InRange(a.RunLength, 1UL, 20UL));

            var letter = DeadLetter.Parser.ParseFrom(deadLetters.Messages[0].Value);
            Assert.Equal("detector-online", letter.Service);
            Assert.Contains("not a valid ActivationEvent", letter.Reason);
        }
        finally
        {
            File.Delete(referencePath);
        }
    }

    internal static int EventIndex(string id) => int.Parse(id[(id.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);

    internal static async Task WaitForOnlineEventsAsync(HttpClient http, ServiceProcess detector, int count, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        double seen = 0;
        while (DateTime.UtcNow < deadline)
        {
            var metrics = await http.GetStringAsync(new Uri(detector.BaseAddress, "/metrics"), ct);
            seen = metrics.Split('\n')
                .Where(l => l.StartsWith("streaming_detector_online_events", StringComparison.Ordinal))
                .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
            if (seen >= count) return;
            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"The online detector handled {seen} of {count} events within 60 s.");
    }
}
