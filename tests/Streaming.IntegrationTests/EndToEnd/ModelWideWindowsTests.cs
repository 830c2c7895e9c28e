using System.Text;
using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Detection.WindowTest;
using Streaming.Detector;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Processes;
using Streaming.LocalStack.Servers;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// Windowing and the Detector as real processes on embedded Kafka and a real redis-server, with
/// their default model-wide windows: an attacker who sends every input on a new stream id fills no
/// stream window, yet the model-wide windows are tested, alert, and name the streams.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class ModelWideWindowsTests
{
    private const int Size = 50;
    private const int AttackEvents = 100;

    [Fact]
    public async Task EveryInputOnANewStreamId_ModelWideWindowsAreTestedAndTheirAlertsNameTheStreams()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        var paths = RepoPaths.Discover();
        var referencePath = SyntheticActivations.SaveReference("model-wide");
        using var kafka = MockKafkaCluster.Start();
        KafkaTopology.CreateAll(kafka);
        await using var redis = await RedisServerProcess.StartAsync(ct);
        var environment = MockKafkaSettings.Environment(kafka, new Dictionary<string, string>
        {
            ["Redis__ConnectionString"] = redis.ConnectionString,
            ["WindowStore__Size"] = Size.ToString(),
            ["WindowStore__Slide"] = Size.ToString(),
            ["WindowStore__MaxWait"] = "00:10:00",
            // WindowStore:ModelWide:Enabled is left at its default (on).
            ["WindowStore__ModelWide__Size"] = Size.ToString(),
            ["WindowStore__ModelWide__Slide"] = Size.ToString(),
            ["WindowStore__ModelWide__MaxWait"] = "00:10:00",
            ["Detector__ReferencePath"] = referencePath,
            ["Detector__Device"] = "cpu",
            ["Detector__Permutations"] = "300",
        });
        var logs = Path.Combine(paths.Artifacts, "test-logs", nameof(ModelWideWindowsTests));
        using var http = new HttpClient();
        var options = MockKafkaSettings.Options(kafka);
        try
        {
            await using var windowing = ServiceProcess.Start("Windowing", paths.ServiceDll("Windowing"), environment, logs);
            await using var detector = ServiceProcess.Start("Detector", paths.ServiceDll("Detector"), environment, logs);
            await windowing.WaitHealthyAsync(http, TimeSpan.FromSeconds(60), ct);
            await detector.WaitHealthyAsync(http, TimeSpan.FromSeconds(90), ct);
            using var detections = new TopicReader(options, Topics.Detections);
            using var alerts = new TopicReader(options, Topics.Alerts);
            var spread = Enumerable.Range(0, AttackEvents).Select(i => $"spread-{i:D3}").ToList();
            using (var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(options, "test")).Build())
            {
                var random = new Random(3);
                for (var i = 0; i < AttackEvents; i++)
                {
                    var activation = SyntheticActivations.Create("synthetic", spread[i], i, random, shift: 0.5f);
                    producer.Produce(Topics.Activations, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(spread[i]), Value = SyntheticActivations.Bytes(activation) });
                }

                Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
            }

            await detections.WaitForAsync(AttackEvents / Size, TimeSpan.FromSeconds(120), ct);
            await alerts.WaitForAsync(AttackEvents / Size, TimeSpan.FromSeconds(30), ct);
            // No stream window can form (one event per stream); anything else would show up shortly.
            await Task.Delay(TimeSpan.FromSeconds(2), ct);

            var results = detections.Messages.Select(m => DetectionResult.Parser.ParseFrom(m.Value)).GroupBy(d => d.WindowId).Select(g => g.First()).ToList();
            Assert.Equal(AttackEvents / Size, results.Count);
            Assert.All(results, d =>
            {
                Assert.Equal(WindowScopes.Model, d.Scope);
                Assert.Equal(WindowScopes.ModelWideStreamId, d.Header.StreamId);
                Assert.StartsWith($"synthetic/{WindowScopes.ModelWideStreamId}/", d.WindowId, StringComparison.Ordinal);
                Assert.Equal(DetectionStatus.Tested, d.Status);
                Assert.Equal((uint)Size, d.WindowSize);
                Assert.Equal(Size, d.StreamIds.Distinct().Count());
                Assert.True(d.Alert, $"{d.WindowId}: p = {d.CombinedPValue}");
            });
            // Between them the windows hold every input, each of its own stream.
            Assert.Equal(spread, results.SelectMany(d => d.StreamIds).Order(StringComparer.Ordinal));

            var raised = alerts.Messages.Select(m => Alert.Parser.ParseFrom(m.Value)).GroupBy(a => a.AlertId).Select(g => g.First()).ToList();
            Assert.Equal(results.Select(d => "alert:" + d.WindowId).Order(), raised.Select(a => a.AlertId).Order());
            Assert.All(raised, a =>
            {
                Assert.Equal(WindowScopes.Model, a.Scope);
                Assert.Equal(WindowScopes.ModelWideStreamId, a.Header.StreamId);
                Assert.Equal(Size, a.StreamIds.Count);
                Assert.NotEmpty(a.TopEventIds);
                Assert.Equal(a.TopEventIds.Count, a.TopEventStreamIds.Count);
                // Each top event is named with its own stream (event ids here are "<stream>-<index>").
                for (var i = 0; i < a.TopEventIds.Count; i++)
                    Assert.StartsWith(a.TopEventStreamIds[i] + "-", a.TopEventIds[i], StringComparison.Ordinal);
            });
        }
        finally
        {
            File.Delete(referencePath);
        }
    }
}
