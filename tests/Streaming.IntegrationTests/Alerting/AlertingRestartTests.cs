using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using StackExchange.Redis;
using Streaming.Contracts;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Processes;
using Streaming.LocalStack.Servers;
using Streaming.LocalStack.Webhooks;
using Streaming.Messaging;
using Xunit.Abstractions;

namespace Streaming.IntegrationTests.Alerting;

/// <summary>
/// The Alerting service as a real process (`dotnet Alerting.dll`) on embedded Kafka, a real
/// rabbitmq-server and a real redis-server, killed with SIGKILL and restarted.
/// </summary>
[Collection(RabbitMqFixtureCollection.Name)]
public sealed class AlertingRestartTests(RabbitMqFixture rabbit, ITestOutputHelper output)
{
    private const string RetryKey = "alerting:redelivery";

    [Fact]
    public async Task KilledMidBurstAndRestarted_EveryAlertReachesEveryTargetOrDeadLetters_DuplicatesShareTheKey()
    {
        const int alerts = 400;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        using var kafka = StartCluster();
        await using var redis = await RedisServerProcess.StartAsync(ct);
        await using var ops = await WebhookReceiver.StartAsync(cancellationToken: ct);
        // Slow enough that deliveries queue up in RabbitMQ while the burst is consumed.
        ops.DelayResponses(TimeSpan.FromMilliseconds(20));
        await using var pager = await WebhookReceiver.StartAsync(cancellationToken: ct);
        // Down for a while: some deliveries are in the retry store when the process dies.
        pager.FailNext(60);
        var environment = ServiceEnvironment(kafka, redis, [("ops", ops.Url + "ops"), ("pager", pager.Url + "pager")]);
        using var http = new HttpClient();
        using var producer = new AlertKafka(kafka.BootstrapServers);

        var first = StartService(environment);
        await using (first)
        {
            await first.WaitHealthyAsync(http, TimeSpan.FromSeconds(90), ct);
            for (var i = 0; i < alerts; i++)
                await producer.ProduceAsync(AlertKafka.NewAlert($"k-{i:D4}", streamId: $"tenant-{i % 7}"));
            await ops.WaitForCountAsync(alerts / 4, TimeSpan.FromSeconds(60), ct);
            first.Kill();
        }

        var deliveredBeforeKill = ops.Accepted.Count + pager.Accepted.Count;
        var restartedAt = Stopwatch.GetTimestamp();
        await using var second = StartService(environment);
        await second.WaitHealthyAsync(http, TimeSpan.FromSeconds(90), ct);
        var firstAfterRestart = await Eventually.WaitUntilAsync(() => ops.Accepted.Count + pager.Accepted.Count > deliveredBeforeKill, TimeSpan.FromSeconds(60), ct);
        var redeliveredAfter = Stopwatch.GetElapsedTime(restartedAt);

        var expected = Enumerable.Range(0, alerts).SelectMany(i => new[] { $"k-{i:D4}:ops", $"k-{i:D4}:pager" }).ToHashSet();
        HashSet<string> Outstanding()
        {
            var done = ops.Accepted.Concat(pager.Accepted).Select(r => r.Header("Idempotency-Key")).ToHashSet();
            return [.. expected.Where(k => !done.Contains(k))];
        }

        // Anything not delivered must be in the dead letters; with this set-up none should be.
        await Eventually.WaitUntilAsync(() => Outstanding().Count == 0, TimeSpan.FromSeconds(90), ct);
        var missing = Outstanding();
        var letters = missing.Count == 0 ? [] : ReadDeadLetters(kafka.BootstrapServers);
        var deadLettered = letters.Select(l => $"{Alert.Parser.ParseFrom(l.Payload).AlertId}:{TargetOf(l.Reason)}").ToHashSet();
        var lost = missing.Except(deadLettered).Order().ToList();
        Assert.Empty(lost);

        // Every request, duplicate or not, carries the key of its own alert and target.
        var all = ops.Received.Where(r => r.StatusCode != 0).Concat(pager.Received.Where(r => r.StatusCode != 0)).ToList();
        foreach (var request in all)
        {
            var alertId = JsonDocument.Parse(request.Body).RootElement.GetProperty("alertId").GetString();
            Assert.Equal($"{alertId}:{request.Path.TrimStart('/')}", request.Header("Idempotency-Key"));
        }

        var accepted = ops.Accepted.Concat(pager.Accepted).ToList();
        var duplicates = accepted.Count - accepted.Select(r => r.Header("Idempotency-Key")).Distinct().Count();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{alerts} alerts x 2 targets: {deliveredBeforeKill} accepted before kill -9, {accepted.Count} accepted in all ({duplicates} duplicates), " +
            $"{letters.Count} dead letters; first delivery {redeliveredAfter.TotalSeconds:F1} s after the restart began (process start included)."));
        Assert.True(firstAfterRestart);
    }

    [Fact]
    public async Task RetryScheduledInRedis_SurvivesKill9_DeliveredAfterRestart()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        using var kafka = StartCluster();
        await using var redis = await RedisServerProcess.StartAsync(ct);
        await using var receiver = await WebhookReceiver.StartAsync(cancellationToken: ct);
        receiver.FailNext(int.MaxValue);
        var environment = ServiceEnvironment(kafka, redis, [("ops", receiver.Url + "ops")]);
        environment["Alerting__MaxRetries"] = "0";
        // Long enough that the entry is still waiting when the process is killed.
        environment["Alerting__Redelivery__BaseDelay"] = "00:00:04";
        environment["Alerting__Redelivery__MaxDelay"] = "00:00:10";
        using var http = new HttpClient();
        using var producer = new AlertKafka(kafka.BootstrapServers);
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var store = connection.GetDatabase();

        var first = StartService(environment);
        await using (first)
        {
            await first.WaitHealthyAsync(http, TimeSpan.FromSeconds(90), ct);
            await producer.ProduceAsync(AlertKafka.NewAlert("survivor"));
            Assert.True(await Eventually.WaitUntilAsync(() => store.SortedSetLength(RetryKey) == 1, TimeSpan.FromSeconds(30), ct), "The failed delivery never reached the retry store.");
            // The alert's offset must be committed, so after the restart only the store can bring it back.
            Assert.True(await Eventually.WaitUntilAsync(() => CommittedOffsets(kafka.BootstrapServers) == 1, TimeSpan.FromSeconds(30), ct), "The alert's offset was not committed.");
            first.Kill();
        }

        Assert.Equal(1, store.SortedSetLength(RetryKey));
        receiver.FailNext(0);
        await using var second = StartService(environment);
        await second.WaitHealthyAsync(http, TimeSpan.FromSeconds(90), ct);
        var delivered = await receiver.WaitForCountAsync(1, TimeSpan.FromSeconds(60), ct);

        Assert.Equal("survivor:ops", Assert.Single(delivered).Header("Idempotency-Key"));
        Assert.Equal([503, 200], receiver.Received.Select(r => r.StatusCode));
        Assert.True(await Eventually.WaitUntilAsync(() => store.SortedSetLength(RetryKey) == 0, TimeSpan.FromSeconds(10), ct), "The delivered entry stayed in the retry store.");
    }

    private Dictionary<string, string> ServiceEnvironment(MockKafkaCluster kafka, RedisServerProcess redis, IReadOnlyList<(string Name, string Url)> webhooks)
    {
        var environment = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka__SessionTimeoutMs"] = "3000",
            ["Kafka__HeartbeatIntervalMs"] = "500",
            ["Redis__ConnectionString"] = redis.ConnectionString,
            ["Alerting__MaxRetries"] = "1",
            ["Alerting__RetryBaseDelay"] = "00:00:00.050",
            ["Alerting__AttemptTimeout"] = "00:00:02",
            ["Alerting__CircuitBreaker__MinimumThroughput"] = "1000",
            ["Alerting__Redelivery__BaseDelay"] = "00:00:00.500",
            ["Alerting__Redelivery__MaxDelay"] = "00:00:02",
            ["Alerting__Redelivery__PollInterval"] = "00:00:00.100",
            ["Alerting__AllowInsecureHosts__0"] = "127.0.0.1",
            ["Alerting__AllowPrivateNetworks"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in rabbit.AlertingSettings(RabbitMqFixture.NewQueueName()))
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        for (var i = 0; i < webhooks.Count; i++)
        {
            environment[$"Alerting__Webhooks__{i}__Name"] = webhooks[i].Name;
            environment[$"Alerting__Webhooks__{i}__Url"] = webhooks[i].Url;
        }

        return environment;
    }

    private static ServiceProcess StartService(Dictionary<string, string> environment)
    {
        var paths = RepoPaths.Discover();
        var logs = Path.Combine(paths.Artifacts, "test-logs", nameof(AlertingRestartTests));
        return ServiceProcess.Start("Alerting", paths.ServiceDll("Alerting"), environment, logs);
    }

    private static MockKafkaCluster StartCluster()
    {
        var cluster = MockKafkaCluster.Start();
        cluster.CreateTopic(Topics.Alerts, 3);
        cluster.CreateTopic(Topics.DeadLetterOf(Topics.Alerts), 1);
        return cluster;
    }

    /// <summary>Sum of the "alerting" group's committed offsets over the alerts partitions.</summary>
    private static long CommittedOffsets(string bootstrapServers)
    {
        var options = new KafkaOptions { BootstrapServers = bootstrapServers };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(options, "offset-check", "alerting")).Build();
        var committed = consumer.Committed(Enumerable.Range(0, 3).Select(p => new TopicPartition(Topics.Alerts, p)), TimeSpan.FromSeconds(5));
        return committed.Where(c => c.Offset.Value > 0).Sum(c => c.Offset.Value);
    }

    private static List<DeadLetter> ReadDeadLetters(string bootstrapServers)
    {
        using var reader = new AlertKafka(bootstrapServers);
        return reader.ReadDeadLetters(int.MaxValue, TimeSpan.FromSeconds(3));
    }

    /// <summary>"Webhook 'pager' failed …" → "pager".</summary>
    private static string TargetOf(string reason) => reason.Split('\'')[1];
}
