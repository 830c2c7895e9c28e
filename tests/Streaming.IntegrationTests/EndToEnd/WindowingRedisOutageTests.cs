using System.Net;
using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Messaging;
using Streaming.LocalStack.Kafka;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// Fault test with real processes: Redis stops for a minute while events keep arriving at the real
/// Windowing process. Windowing must hold the events (partitions paused, not dead-lettered, not
/// out of its group) and window every one of them exactly once after Redis is back.
/// </summary>
public sealed class WindowingRedisOutageTests
{
    private const int EventsPerStream = 200;
    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(60);
    private static readonly string[] Streams = ["cam-a", "cam-b", "cam-c"];

    [Fact]
    public async Task RedisDownForAMinuteUnderTraffic_NothingDeadLettered_EveryEventWindowedOnce()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = cts.Token;
        using var kafka = MockKafkaCluster.Start();
        await using var redis = new RestartableRedis();
        await redis.StartAsync(ct);
        var windowing = new WindowingProcess(kafka, redis.ConnectionString, size: 20, slide: 10, nameof(WindowingRedisOutageTests), new Dictionary<string, string>
        {
            ["Kafka__ConsumerStalledAfterMs"] = "5000",
            // Longer than the outage: this test is about the events, not about the time flush of
            // windows whose events waited through it (a Windowing rule, tested elsewhere).
            ["WindowStore__MaxWait"] = "00:10:00",
            // Stream windows only, so that the counts below are exact; model-wide windows through a kill -9 are in WindowingRestartTests.
            ["WindowStore__ModelWide__Enabled"] = "false",
        });
        using var http = new HttpClient();
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(windowing.Options, "test")).Build();
        using var windows = new TopicReader(windowing.Options, Topics.Windows);
        await using var service = await windowing.StartAsync(http, ct);

        WindowingProcess.Produce(producer, Streams, 0, EventsPerStream / 2);
        await windows.WaitForAsync(Streams.Length, TimeSpan.FromSeconds(60), ct);
        await redis.StopAsync();
        WindowingProcess.Produce(producer, Streams, EventsPerStream / 2, EventsPerStream);
        var outageEnds = DateTime.UtcNow + OutageLength;
        var sawUnready = false;
        while (DateTime.UtcNow < outageEnds)
        {
            Assert.False(service.HasExited, "Windowing exited during the Redis outage; see its log.");
            sawUnready |= await StatusAsync(http, new Uri(service.BaseAddress, "/health/ready"), ct) == HttpStatusCode.ServiceUnavailable;
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }

        await redis.StartAsync(ct);
        await windowing.AssertEveryEventWindowedOnceAsync(windows, Streams, EventsPerStream, ct);

        Assert.True(sawUnready, "/health/ready never reported the outage");
        using var deadLetters = new TopicReader(windowing.Options, Topics.DeadLetterOf(Topics.Activations));
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        Assert.Empty(deadLetters.Messages);
        var log = await File.ReadAllTextAsync(service.LogPath, ct);
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
}
