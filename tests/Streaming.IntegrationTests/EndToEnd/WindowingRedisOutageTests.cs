using System.Net;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Streaming.Contracts;
using Streaming.Control.Hosting;
using Streaming.Messaging;
using Streaming.Messaging.Mock;
using Streaming.Windows;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// Fault test with real processes: Redis stops for a minute while events keep arriving at the real
/// Windowing process. Windowing must hold the events (partitions paused, not dead-lettered, not
/// out of its group) and window every one of them exactly once after Redis is back.
/// </summary>
public sealed class WindowingRedisOutageTests
{
    private const int Size = 20;
    private const int Slide = 10;
    private const int EventsPerStream = 200;
    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(60);
    private static readonly string[] Streams = ["cam-a", "cam-b", "cam-c"];

    [Fact]
    public async Task RedisDownForAMinuteUnderTraffic_NothingDeadLettered_EveryEventWindowedOnce()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = cts.Token;
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic(Topics.Activations, 4);
        kafka.CreateTopic(Topics.Windows, 2);
        kafka.CreateTopic(Topics.DeadLetterOf(Topics.Activations), 1);
        await using var redis = new RestartableRedis();
        await redis.StartAsync(ct);
        var options = MockKafkaSettings.Options(kafka);
        var paths = RepoPaths.Discover();
        var environment = MockKafkaSettings.Environment(kafka, new Dictionary<string, string>
        {
            ["Redis__ConnectionString"] = redis.ConnectionString,
            ["Windows__Size"] = Size.ToString(),
            ["Windows__Slide"] = Slide.ToString(),
            ["Kafka__ConsumerStalledAfterMs"] = "5000",
            // Longer than the outage: this test is about the events, not about the time flush of
            // windows whose events waited through it (a Windowing rule, tested elsewhere).
            ["Windows__MaxWait"] = "00:10:00",
            // Stream windows only, so that the counts below are exact; model-wide windows through a kill -9 are in WindowingRestartTests.
            ["Windows__ModelWide__Enabled"] = "false",
        });
        var logs = Path.Combine(paths.Artifacts, "test-logs", nameof(WindowingRedisOutageTests));
        using var http = new HttpClient();
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(options, "test")).Build();
        using var windows = new TopicReader(options, Topics.Windows);
        await using var windowing = ServiceProcess.Start("Windowing", paths.ServiceDll("Windowing"), FreePort.Next(), environment, logs);
        await windowing.WaitHealthyAsync(http, TimeSpan.FromSeconds(60), ct);

        Produce(producer, 0, EventsPerStream / 2);
        await windows.WaitForAsync(Streams.Length, TimeSpan.FromSeconds(60), ct);
        await redis.StopAsync();
        Produce(producer, EventsPerStream / 2, EventsPerStream);
        var outageEnds = DateTime.UtcNow + OutageLength;
        var sawUnready = false;
        while (DateTime.UtcNow < outageEnds)
        {
            Assert.False(windowing.HasExited, "Windowing exited during the Redis outage; see its log.");
            sawUnready |= await StatusAsync(http, new Uri(windowing.BaseAddress, "/health/ready"), ct) == HttpStatusCode.ServiceUnavailable;
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }

        await redis.StartAsync(ct);
        var expectedPerStream = ((EventsPerStream - Size) / Slide) + 1;
        await windows.WaitForAsync(expectedPerStream * Streams.Length, TimeSpan.FromSeconds(120), ct);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);

        Assert.True(sawUnready, "/health/ready never reported the outage");
        var windowsById = windows.Messages.Select(m => WindowReady.Parser.ParseFrom(m.Value)).GroupBy(w => w.WindowId).Select(g => g.First()).ToList();
        Assert.Equal(expectedPerStream * Streams.Length, windowsById.Count);
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var store = new RedisWindowStore(connection, Options.Create(new WindowOptions { Size = Size, Slide = Slide }), new FakeTimeProvider());
        foreach (var stream in Streams)
        {
            var streamWindows = windowsById.Where(w => w.Header.StreamId == stream).OrderBy(w => w.Sequence).ToList();
            Assert.Equal(expectedPerStream, streamWindows.Count);
            for (var k = 0; k < streamWindows.Count; k++)
            {
                var contents = await store.ReadWindowAsync(streamWindows[k].WindowKey, ct);
                Assert.Equal(Enumerable.Range(k * Slide, Size).Select(i => $"{stream}-{i:D6}"), contents.Events.Select(e => e.Header.EventId));
            }
        }

        using var deadLetters = new TopicReader(options, Topics.DeadLetterOf(Topics.Activations));
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        Assert.Empty(deadLetters.Messages);
        var log = await File.ReadAllTextAsync(windowing.LogPath, ct);
        Assert.DoesNotContain("partitions lost", log);
        Assert.DoesNotContain("MAXPOLL", log);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, Uri uri, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(uri, ct);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static void Produce(IProducer<byte[], byte[]> producer, int from, int to)
    {
        var random = new Random(from);
        for (var i = from; i < to; i++)
        {
            foreach (var stream in Streams)
            {
                var activation = SyntheticActivations.Create("synthetic", stream, i, random);
                producer.Produce(Topics.Activations, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(stream), Value = SyntheticActivations.Bytes(activation) });
            }
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
    }
}
