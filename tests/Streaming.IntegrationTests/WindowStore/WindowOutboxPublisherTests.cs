using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Contracts;
using Streaming.IntegrationTests.Alerting;
using Streaming.IntegrationTests.EndToEnd;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.Messaging;
using Streaming.LocalStack.Kafka;
using Streaming.Windowing;
using Streaming.Windowing.Publishing;
using Streaming.WindowStore;
using static Streaming.IntegrationTests.WindowStore.WindowTestContext;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Streaming.IntegrationTests.WindowStore;

/// <summary>The outbox publisher on a real redis-server and the embedded Kafka: no entry can stop the others.</summary>
[Collection(RedisFixtureCollection.Name)]
public sealed class WindowOutboxPublisherTests(RedisFixture redis)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ExecuteAsync_WindowTooLargeForKafka_DeadLettersItAndPublishesEveryOtherWindow()
    {
        using var kafka = MockKafkaCluster.Start();
        var topic = CreateTopics(kafka);
        var context = new WindowTestContext(redis, o => { o.Size = 2; o.Slide = 2; });
        var store = context.CreateWriter();
        // A ~400 KB model name: its window message is over Kafka's 1 MB limit (the name is in it three times).
        var huge = new string('m', 400_000);
        await AppendAllAsync(store, Events("big", 0, 2).Select(e => { e.Header.Model = huge; return e; }));
        foreach (var stream in new[] { "a", "b" })
            await AppendAllAsync(store, Events(stream, 0, 2));
        var options = MockKafkaSettings.Options(kafka);
        using var windows = new TopicReader(options, topic);
        using var deadLetters = new TopicReader(options, Topics.DeadLetterOf(topic));

        await using (var running = await RunningPublisher.StartAsync(store, options, topic))
        {
            await windows.WaitForAsync(2, Timeout, CancellationToken.None);
            await deadLetters.WaitForAsync(1, Timeout, CancellationToken.None);
            Assert.True(await OutboxEmptiesAsync(store));
            Assert.Equal(1, running.Logger.Count(LogLevel.Warning, "can never be published"));
        }

        Assert.Equal(["a", "b"], windows.Messages.Select(m => WindowReady.Parser.ParseFrom(m.Value).Header.StreamId).Order());
        var letter = DeadLetter.Parser.ParseFrom(Assert.Single(deadLetters.Messages).Value);
        Assert.Equal(topic, letter.SourceTopic);
        Assert.Equal(-1, letter.SourceOffset);
        Assert.Equal(WindowDeadLetters.Service, letter.Service);
        Assert.Contains("MsgSizeTooLarge", letter.Reason, StringComparison.Ordinal);
        Assert.Contains("truncated", letter.Reason, StringComparison.Ordinal);
        Assert.True(letter.Reason.Length <= WindowDeadLetters.MaxReasonChars, $"reason of {letter.Reason.Length} chars");
        Assert.Equal(WindowDeadLetters.MaxPayloadBytes, letter.Payload.Length);
        Assert.Equal("big", letter.Key.ToStringUtf8());
    }

    [Fact]
    public async Task ExecuteAsync_OutboxEntryIsNotAWindow_DeadLettersAndRemovesItAndGoesOn()
    {
        using var kafka = MockKafkaCluster.Start();
        var topic = CreateTopics(kafka);
        var context = new WindowTestContext(redis, o => { o.Size = 2; o.Slide = 2; });
        var store = context.CreateWriter();
        await AppendAllAsync(store, Events("a", 0, 2));
        byte[] junk = [0xFF, 0xFF, 0xFF, 0x01];
        await redis.Connection.GetDatabase().ListLeftPushAsync(new WindowKeys(context.Options.KeyPrefix, Model, "a").Outbox, junk);
        await AppendAllAsync(store, Events("a", 2, 2));
        var options = MockKafkaSettings.Options(kafka);
        using var windows = new TopicReader(options, topic);
        using var deadLetters = new TopicReader(options, Topics.DeadLetterOf(topic));

        await using (await RunningPublisher.StartAsync(store, options, topic))
        {
            await windows.WaitForAsync(2, Timeout, CancellationToken.None);
            await deadLetters.WaitForAsync(1, Timeout, CancellationToken.None);
            Assert.True(await OutboxEmptiesAsync(store));
        }

        var letter = DeadLetter.Parser.ParseFrom(Assert.Single(deadLetters.Messages).Value);
        Assert.Equal(junk, letter.Payload.ToByteArray());
        Assert.Contains("not a WindowReady", letter.Reason, StringComparison.Ordinal);
        Assert.Equal([1UL, 2UL], windows.Messages.Select(m => WindowReady.Parser.ParseFrom(m.Value).Sequence));
    }

    [Fact]
    public async Task ExecuteAsync_KafkaUnreachable_KeepsEveryEntryAndLogsTheOutageOnce_ThenPublishesThem()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 2; o.Slide = 2; });
        var store = context.CreateWriter();
        foreach (var stream in new[] { "a", "b" })
            await AppendAllAsync(store, Events(stream, 0, 2));
        var unreachable = new KafkaOptions
        {
            BootstrapServers = $"127.0.0.1:{Streaming.LocalStack.FreePort.Next()}",
            Properties = { ["message.timeout.ms"] = "200" },
        };

        await using (var running = await RunningPublisher.StartAsync(store, unreachable, "windows", context.Time))
        {
            // Drive the backoff on the fake clock until the publisher has failed several rounds.
            Assert.True(await Eventually.WaitUntilAsync(
                () =>
                {
                    context.Time.Advance(TimeSpan.FromSeconds(10));
                    return running.Logger.Count(LogLevel.Debug, "next try in") >= 5;
                },
                Timeout,
                CancellationToken.None));
            Assert.Equal(1, running.Logger.Count(LogLevel.Warning, "Publishing windows is failing"));
            Assert.Equal(0, running.Logger.Count(LogLevel.Warning, "can never be published"));
            // Five failed rounds span over 30 s of the fake clock: the process is up but not ready.
            var health = await new WindowOutboxHealthCheck(running.Publisher, context.Time).CheckHealthAsync(new HealthCheckContext());
            Assert.Equal(HealthStatus.Unhealthy, health.Status);
        }

        Assert.Equal(2, (await store.PeekOutboxAsync(10, CancellationToken.None)).Count);

        using var kafka = MockKafkaCluster.Start();
        var topic = CreateTopics(kafka);
        var options = MockKafkaSettings.Options(kafka);
        using var windows = new TopicReader(options, topic);
        await using (await RunningPublisher.StartAsync(store, options, topic))
        {
            await windows.WaitForAsync(2, Timeout, CancellationToken.None);
            // While the publisher runs: a reader can see a window before the publisher's ack reaches
            // Redis, and stopping it then leaves the entry (to be published again, at-least-once).
            Assert.True(await OutboxEmptiesAsync(store));
        }
    }

    [Fact]
    public async Task ExecuteAsync_WindowCompletedUnderATrace_PublishesItInThatTraceAndAnUntracedOneWithout()
    {
        var traceId = ActivityTraceId.CreateRandom();
        // What the service's tracing does, for this trace only (parallel tests make their own).
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Streaming.Messaging",
            Sample = (ref ActivityCreationOptions<ActivityContext> o) =>
                o.Parent.TraceId == traceId ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
        };
        ActivitySource.AddActivityListener(listener);
        using var kafka = MockKafkaCluster.Start();
        var topic = CreateTopics(kafka);
        var context = new WindowTestContext(redis, o => { o.Size = 2; o.Slide = 2; });
        var store = context.CreateWriter();
        await AppendAllAsync(store, Events("untraced", 0, 2));
        using (new Activity("consume").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
            await AppendAllAsync(store, Events("traced", 0, 2));
        var options = MockKafkaSettings.Options(kafka);
        using var windows = new TopicReader(options, topic);

        await using (await RunningPublisher.StartAsync(store, options, topic))
        {
            await windows.WaitForAsync(2, Timeout, CancellationToken.None);
            Assert.True(await OutboxEmptiesAsync(store));
        }

        var traced = Assert.Single(windows.Messages, m => WindowReady.Parser.ParseFrom(m.Value).Header.StreamId == "traced");
        Assert.NotNull(traced.Headers);
        Assert.True(traced.Headers.TryGetLastBytes("traceparent", out var traceParent));
        Assert.True(ActivityContext.TryParse(Encoding.ASCII.GetString(traceParent), null, out var published));
        Assert.Equal(traceId, published.TraceId);
        var untraced = Assert.Single(windows.Messages, m => WindowReady.Parser.ParseFrom(m.Value).Header.StreamId == "untraced");
        Assert.False(untraced.Headers is not null && untraced.Headers.TryGetLastBytes("traceparent", out _));
    }

    /// <summary>True once nothing, window or corrupt entry, is left in the outboxes.</summary>
    private static async Task<bool> OutboxEmptiesAsync(RedisWindowWriter store)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await store.ReadOutboxAsync(10, CancellationToken.None)).Count == 0) return true;
            await Task.Delay(100);
        }

        return false;
    }

    private static string CreateTopics(MockKafkaCluster kafka)
    {
        var topic = "windows-" + Guid.NewGuid().ToString("N")[..8];
        kafka.CreateTopic(topic, 2);
        kafka.CreateTopic(Topics.DeadLetterOf(topic), 1);
        return topic;
    }

    /// <summary>A started publisher with its own producer; disposing stops both.</summary>
    private sealed class RunningPublisher : IAsyncDisposable
    {
        private readonly KafkaProducerHandle _producer;
        private readonly ServiceProvider _meters;

        private RunningPublisher(ServiceProvider meters, KafkaProducerHandle producer, WindowOutboxPublisher publisher, RecordingLogger<WindowOutboxPublisher> logger)
        {
            _meters = meters;
            _producer = producer;
            Publisher = publisher;
            Logger = logger;
        }

        public WindowOutboxPublisher Publisher { get; }

        public RecordingLogger<WindowOutboxPublisher> Logger { get; }

        public static async Task<RunningPublisher> StartAsync(RedisWindowWriter store, KafkaOptions kafka, string topic, TimeProvider? time = null)
        {
            var meters = new ServiceCollection().AddMetrics().AddSingleton<MessagingMetrics>().BuildServiceProvider();
            var metrics = meters.GetRequiredService<MessagingMetrics>();
            var producer = new KafkaProducerHandle(MsOptions.Create(kafka), new HostingEnvironment { ApplicationName = "test" }, metrics, NullLogger<KafkaProducerHandle>.Instance);
            var logger = new RecordingLogger<WindowOutboxPublisher>();
            var options = MsOptions.Create(new WindowingOptions { OutputTopic = topic, FlushInterval = TimeSpan.FromMilliseconds(100) });
            var publisher = new WindowOutboxPublisher(store, producer, new WindowDeadLetters(producer, metrics, TimeProvider.System), options, time ?? TimeProvider.System, logger);
            await publisher.StartAsync(CancellationToken.None);
            return new RunningPublisher(meters, producer, publisher, logger);
        }

        public async ValueTask DisposeAsync()
        {
            await Publisher.StopAsync(CancellationToken.None);
            Publisher.Dispose();
            _producer.Dispose();
            await _meters.DisposeAsync();
        }
    }
}
