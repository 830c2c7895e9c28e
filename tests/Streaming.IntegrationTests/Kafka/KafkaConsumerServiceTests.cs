using System.Net;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.IntegrationTests.Alerting;
using Streaming.IntegrationTests.EndToEnd;
using Streaming.IntegrationTests.Kafka.Consumers;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.Kafka;

/// <summary>
/// The consume loop against the embedded mock cluster, on the real clock with short settings
/// (session 3 s, heartbeat 0.5 s, max.poll.interval 3 s): failures cost one message, never the
/// partition, the group membership or the loop.
/// </summary>
public sealed class KafkaConsumerServiceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task HandleAsync_TransientFailureLongerThanMaxPollInterval_StaysInGroupAndHandlesEachMessageOnce()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var topic = NewTopic();
        using var cluster = ConsumerTestHost.StartCluster(topic, 3);
        for (var p = 0; p < 3; p++)
            ConsumerTestHost.Produce(cluster, topic, p, Enumerable.Range(0, 10).Select(i => $"p{p}-{i}").ToArray());
        var outage = new Outage(TimeSpan.FromMilliseconds(ConsumerTestHost.MaxPollIntervalMs * 2.5));
        var script = new ConsumerScript(topic)
        {
            Handle = _ =>
            {
                outage.ThrowIfDown();
                return Task.CompletedTask;
            },
        };

        await using var host = await ConsumerTestHost.StartAsync(cluster, script);
        Assert.True(await Eventually.WaitUntilAsync(() => script.Handled.Count >= 30, Timeout, cts.Token), $"handled {script.Handled.Count} of 30");
        // Anything handled twice (a rebalance after leaving the group) would show up shortly after.
        await Task.Delay(TimeSpan.FromSeconds(2), cts.Token);

        Assert.True(outage.Failures > 3, $"only {outage.Failures} failed attempts");
        var handled = script.Handled.ToList();
        Assert.Equal(30, handled.Count);
        Assert.Equal(30, handled.Select(h => h.Value).Distinct().Count());
        foreach (var partition in handled.GroupBy(h => h.Partition))
            Assert.Equal(partition.OrderBy(h => h.Offset).Select(h => h.Value), partition.Select(h => h.Value));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Text.Contains("partitions lost") || e.Text.Contains("partitions revoked") || e.Text.Contains("MAXPOLL"));
        Assert.Single(host.Logs.Texts(LogLevel.Warning, "outage started"));
        Assert.Single(host.Logs.Texts(LogLevel.Information, "recovered after an outage"));
        using var deadLetters = new TopicReader(MockKafkaSettings.Options(cluster), Topics.DeadLetterOf(topic));
        await Task.Delay(TimeSpan.FromSeconds(1), cts.Token);
        Assert.Empty(deadLetters.Messages);
    }

    [Fact]
    public async Task HandleBatchAsync_TransientOutage_EveryMessageHandledOnceAfterRecovery()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var topic = NewTopic();
        using var cluster = ConsumerTestHost.StartCluster(topic, 2);
        for (var p = 0; p < 2; p++)
            ConsumerTestHost.Produce(cluster, topic, p, Enumerable.Range(0, 20).Select(i => $"p{p}-{i}").ToArray());
        var outage = new Outage(TimeSpan.FromSeconds(4));
        var script = new ConsumerScript(topic)
        {
            MaxBatchSize = 8,
            Handle = _ =>
            {
                outage.ThrowIfDown();
                return Task.CompletedTask;
            },
            HandleBatch = _ =>
            {
                outage.ThrowIfDown();
                return Task.CompletedTask;
            },
        };

        await using var host = await ConsumerTestHost.StartAsync(cluster, script);
        Assert.True(await Eventually.WaitUntilAsync(() => script.Handled.Count >= 40, Timeout, cts.Token), $"handled {script.Handled.Count} of 40");
        await Task.Delay(TimeSpan.FromSeconds(1), cts.Token);

        Assert.True(outage.Failures > 1);
        Assert.Equal(40, script.Handled.Count);
        Assert.Equal(40, script.HandledValues.Distinct().Count());
        Assert.DoesNotContain(host.Logs.Entries, e => e.Text.Contains("partitions lost") || e.Text.Contains("MAXPOLL"));
    }

    [Fact]
    public async Task HandleAsync_PartitionMovesToANewMemberDuringAnOutage_EveryMessageHandledOnceAcrossTheGroup()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var topic = NewTopic();
        using var cluster = ConsumerTestHost.StartCluster(topic, 2);
        for (var p = 0; p < 2; p++)
            ConsumerTestHost.Produce(cluster, topic, p, Enumerable.Range(0, 5).Select(i => $"p{p}-{i}").ToArray());
        // The first member's dependency is down long enough for the second one to join and take a
        // partition; whichever partition moves, the message held there must be handled by exactly one member.
        var outage = new Outage(TimeSpan.FromSeconds(12));
        var first = new ConsumerScript(topic)
        {
            Handle = _ =>
            {
                outage.ThrowIfDown();
                return Task.CompletedTask;
            },
        };
        var second = new ConsumerScript(topic);

        await using var firstHost = await ConsumerTestHost.StartAsync(cluster, first);
        Assert.True(await Eventually.WaitUntilAsync(() => outage.Failures > 0, Timeout, cts.Token));
        await using var secondHost = await ConsumerTestHost.StartAsync(cluster, second);
        Assert.True(
            await Eventually.WaitUntilAsync(() => first.Handled.Count + second.Handled.Count >= 10, Timeout, cts.Token),
            $"handled {first.Handled.Count} + {second.Handled.Count} of 10");
        await Task.Delay(TimeSpan.FromSeconds(2), cts.Token);

        var all = first.HandledValues.Concat(second.HandledValues).ToList();
        Assert.Equal(10, all.Count);
        Assert.Equal(10, all.Distinct().Count());
        Assert.NotEmpty(second.Handled);
        Assert.DoesNotContain(firstHost.Logs.Entries, e => e.Text.Contains("MAXPOLL"));
        using var deadLetters = new TopicReader(MockKafkaSettings.Options(cluster), Topics.DeadLetterOf(topic));
        await Task.Delay(TimeSpan.FromSeconds(1), cts.Token);
        Assert.Empty(deadLetters.Messages);
    }

    [Fact]
    public async Task HandleAsync_PermanentFailure_DeadLettersAtOnceWithOneAttemptAndHandlesTheNext()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var topic = NewTopic();
        using var cluster = ConsumerTestHost.StartCluster(topic, 1);
        ConsumerTestHost.Produce(cluster, topic, 0, "bad", "good");
        var script = new ConsumerScript(topic)
        {
            Handle = r => Encoding.UTF8.GetString(r.Message.Value) == "bad" ? throw new JsonException("'b' is an invalid start of a value.") : Task.CompletedTask,
        };

        await using var host = await ConsumerTestHost.StartAsync(cluster, script);
        using var deadLetters = new TopicReader(MockKafkaSettings.Options(cluster), Topics.DeadLetterOf(topic));
        await deadLetters.WaitForAsync(1, Timeout, cts.Token);
        Assert.True(await Eventually.WaitUntilAsync(() => script.Handled.Count >= 1, Timeout, cts.Token));

        var letter = DeadLetter.Parser.ParseFrom(deadLetters.Messages[0].Value);
        Assert.Equal(1u, letter.Attempts);
        Assert.Equal("JsonException: 'b' is an invalid start of a value.", letter.Reason);
        Assert.Equal((topic, 0, 0L), (letter.SourceTopic, letter.SourcePartition, letter.SourceOffset));
        Assert.Equal("bad", letter.Payload.ToStringUtf8());
        Assert.False(letter.PayloadTruncated);
        Assert.Equal(1, script.Attempts["bad"]);
        Assert.Equal(["good"], script.HandledValues);
    }

    [Fact]
    public async Task HandleAsync_UnknownFailure_TriedMaxAttemptsThenDeadLettered()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var topic = NewTopic();
        using var cluster = ConsumerTestHost.StartCluster(topic, 1);
        ConsumerTestHost.Produce(cluster, topic, 0, "odd", "good");
        var script = new ConsumerScript(topic)
        {
            MaxAttempts = 3,
            Handle = r => Encoding.UTF8.GetString(r.Message.Value) == "odd" ? throw new InvalidOperationException("state nobody expected") : Task.CompletedTask,
        };

        await using var host = await ConsumerTestHost.StartAsync(cluster, script);
        using var deadLetters = new TopicReader(MockKafkaSettings.Options(cluster), Topics.DeadLetterOf(topic));
        await deadLetters.WaitForAsync(1, Timeout, cts.Token);
        Assert.True(await Eventually.WaitUntilAsync(() => script.Handled.Count >= 1, Timeout, cts.Token));

        var letter = DeadLetter.Parser.ParseFrom(deadLetters.Messages[0].Value);
        Assert.Equal(3u, letter.Attempts);
        Assert.Equal("Failed 3 times: InvalidOperationException: state nobody expected", letter.Reason);
        Assert.Equal(3, script.Attempts["odd"]);
        Assert.Equal(["good"], script.HandledValues);
    }

    [Fact]
    public async Task PublishAsync_DeadLetterLargerThanCap_StoredTruncatedWithPointerToTheOriginal()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var topic = NewTopic();
        using var cluster = ConsumerTestHost.StartCluster(topic, 1);
        var huge = new byte[600_000];
        new Random(7).NextBytes(huge);
        ConsumerTestHost.Produce(cluster, topic, 0, "first");
        ConsumerTestHost.Produce(cluster, topic, 0, [huge, Encoding.UTF8.GetBytes("good")]);
        var script = new ConsumerScript(topic)
        {
            // As a validator quoting a 300 KB model name (with a newline) in its reason would.
            Handle = r => r.Message.Value.Length == huge.Length
                ? throw new MalformedMessageException($"Model '{new string('m', 300_000)}\nend' is not valid.")
                : Task.CompletedTask,
        };

        await using var host = await ConsumerTestHost.StartAsync(cluster, script);
        using var deadLetters = new TopicReader(MockKafkaSettings.Options(cluster), Topics.DeadLetterOf(topic));
        await deadLetters.WaitForAsync(1, Timeout, cts.Token);
        Assert.True(await Eventually.WaitUntilAsync(() => script.Handled.Count >= 2, Timeout, cts.Token));

        var message = deadLetters.Messages[0];
        var letter = DeadLetter.Parser.ParseFrom(message.Value);
        Assert.True(letter.PayloadTruncated);
        Assert.Equal((uint)huge.Length, letter.OriginalPayloadSize);
        Assert.Equal(256 * 1024, letter.Payload.Length);
        Assert.Equal(huge.AsSpan(0, 256 * 1024).ToArray(), letter.Payload.ToByteArray());
        Assert.Equal((topic, 0, 1L), (letter.SourceTopic, letter.SourcePartition, letter.SourceOffset));
        Assert.InRange(letter.Reason.Length, 1000, DeadLetterPublisher.MaxReasonLength);
        Assert.StartsWith("Model 'mmm", letter.Reason);
        var header = Encoding.UTF8.GetString(message.Headers.GetLastBytes("reason"));
        Assert.InRange(header.Length, 100, DeadLetterPublisher.MaxReasonHeaderLength);
        Assert.DoesNotContain(header, char.IsControl);
        Assert.Equal(["first", "good"], script.HandledValues);
    }

    [Fact]
    public async Task DeadLetterPublish_FailsForGood_LoggedAndSkippedAndTheLoopGoesOn()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var topic = NewTopic();
        using var cluster = ConsumerTestHost.StartCluster(topic, 1);
        ConsumerTestHost.Produce(cluster, topic, 0, [new byte[50_000], Encoding.UTF8.GetBytes("good")]);
        // A producer whose messages may not exceed 10 KB, behind a publisher that keeps 100 KB of
        // a payload: the dead letter is refused as too large (as a broker with a smaller
        // message.max.bytes would), which no retry can fix.
        var smallMessages = new KafkaOptions { BootstrapServers = cluster.BootstrapServers, DeadLetterMaxPayloadBytes = 100_000 };
        smallMessages.Properties["message.max.bytes"] = "10000";
        using var meters = new ServiceCollection().AddMetrics().AddSingleton<MessagingMetrics>().BuildServiceProvider();
        var metrics = meters.GetRequiredService<MessagingMetrics>();
        using var producer = new KafkaProducerHandle(Options.Create(smallMessages), new TestHostEnvironment(), metrics, NullLogger<KafkaProducerHandle>.Instance);
        var script = new ConsumerScript(topic)
        {
            DeadLetters = new DeadLetterPublisher(producer, metrics, Options.Create(smallMessages), TimeProvider.System),
            Handle = r => r.Message.Value.Length == 50_000 ? throw new InvalidDataException("not an event") : Task.CompletedTask,
        };
        using var failures = new CounterListener("streaming.messages.deadletter_failed");

        await using var host = await ConsumerTestHost.StartAsync(cluster, script);
        Assert.True(await Eventually.WaitUntilAsync(() => script.Handled.Count >= 1, Timeout, cts.Token));

        Assert.Equal(["good"], script.HandledValues);
        Assert.Single(host.Logs.Texts(LogLevel.Error, "could not be dead-lettered"));
        Assert.Equal(1, failures.Total(topic));
        Assert.Equal(1, script.Attempts.Single(a => a.Key != "good").Value);
    }

    [Fact]
    public async Task ReadyEndpoint_ConsumerPausedThroughAnOutage_UnhealthyWhileStalledThenHealthy()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var topic = NewTopic();
        using var cluster = ConsumerTestHost.StartCluster(topic, 1);
        var outage = new Outage(TimeSpan.FromSeconds(5));
        var script = new ConsumerScript(topic)
        {
            Handle = _ =>
            {
                outage.ThrowIfDown();
                return Task.CompletedTask;
            },
        };
        await using var host = await ConsumerTestHost.StartAsync(cluster, script, new Dictionary<string, string?> { ["Kafka:ConsumerStalledAfterMs"] = "1500" });
        using var http = new HttpClient { BaseAddress = host.Address };
        using var stalled = new GaugeReader("streaming.consumer.stalled");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready", cts.Token)).StatusCode);

        ConsumerTestHost.Produce(cluster, topic, 0, "one");
        Assert.True(
            await Eventually.WaitUntilAsync(() => Status(http, "/health/ready") == HttpStatusCode.ServiceUnavailable, Timeout, cts.Token),
            "/health/ready never turned Unhealthy");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, Status(http, "/health"));
        Assert.Equal(HttpStatusCode.OK, Status(http, "/alive"));
        Assert.Equal(1, stalled.Read(topic));
        Assert.Empty(script.Handled);

        Assert.True(await Eventually.WaitUntilAsync(() => script.Handled.Count == 1, Timeout, cts.Token));
        Assert.True(
            await Eventually.WaitUntilAsync(() => Status(http, "/health/ready") == HttpStatusCode.OK, Timeout, cts.Token),
            "/health/ready stayed Unhealthy after the recovery");
        Assert.Equal(0, stalled.Read(topic));
    }

    private static HttpStatusCode Status(HttpClient http, string path)
    {
        using var response = http.GetAsync(path).GetAwaiter().GetResult();
        return response.StatusCode;
    }

    [Fact]
    public async Task Consume_BrokerDroppedMessagesTheGroupHadNotRead_ErrorAndMetricCountThem()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var topic = NewTopic();
        using var cluster = ConsumerTestHost.StartCluster(topic, 1);
        using var skipped = new CounterListener("streaming.messages.skipped_by_reset");
        ConsumerTestHost.Produce(cluster, topic, 0, Enumerable.Range(0, 5).Select(i => $"first-{i}").ToArray());
        var first = new ConsumerScript(topic);
        await using (var host = await ConsumerTestHost.StartAsync(cluster, first))
            Assert.True(await Eventually.WaitUntilAsync(() => first.Handled.Count >= 5, Timeout, cts.Token), $"handled {first.Handled.Count} of 5");
        // Stopped with its position, offset 5, committed. The mock broker keeps 5 MiB per partition, read or not:
        // 40 messages of 200 KB push the oldest out, some of them never read by the group.
        var padding = new string('x', 200_000);
        ConsumerTestHost.Produce(cluster, topic, 0, Enumerable.Range(0, 40).Select(i => $"second-{i}-{padding}").ToArray());
        long kept;
        using (var probe = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "probe" }).Build())
            kept = probe.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10)).Low.Value;
        Assert.True(kept > 5, $"the broker still holds offset {kept}: nothing was dropped unread");

        var second = new ConsumerScript(topic);
        await using var again = await ConsumerTestHost.StartAsync(cluster, second);
        Assert.True(await Eventually.WaitUntilAsync(() => second.Handled.Count >= 45 - kept, Timeout, cts.Token), $"handled {second.Handled.Count} of {45 - kept}");

        var error = Assert.Single(again.Logs.Texts(LogLevel.Error, "messages skipped, never handled"));
        Assert.Contains($"[0]: {kept - 5} messages skipped", error);
        Assert.Equal(kept - 5, skipped.Total(topic));
        Assert.Equal(kept, second.Handled.Min(h => h.Offset));
        // What `control loadtest` reads from each service (ServiceProbe): the counter under its Prometheus name.
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(again.Address, "/metrics"), cts.Token);
        Assert.Matches($@"streaming_messages_skipped_by_reset_total\{{[^}}]*topic=""{topic}""[^}}]*\}} {kept - 5}(\s|$)", metrics);
    }

    private static string NewTopic() => "t" + Guid.NewGuid().ToString("N")[..10];
}
