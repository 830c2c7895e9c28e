using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using Google.Protobuf;
using Streaming.Alerting.Delivery;
using Streaming.LocalStack.Webhooks;
using Streaming.Contracts.Webhooks;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.LocalStack.Servers;
using Xunit.Abstractions;

namespace Streaming.IntegrationTests.Alerting;

/// <summary>
/// Delivery through a real RabbitMQ broker and the Redis retry store, with real HTTP receivers:
/// a burst to two targets, a receiver down for longer than the quick retries that then recovers
/// (signatures checked on every round), and one that is always down (dead-lettered after every round).
/// </summary>
[Collection(RabbitMqFixtureCollection.Name)]
public sealed class AlertingRabbitMqTests(RabbitMqFixture rabbit, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string Secret = "integration-test-signing-secret";

    [Fact]
    public async Task HandleAsync_BurstThroughRabbitMq_DeliversEveryAlertToEveryTarget()
    {
        const int alerts = 300;
        using var cluster = AlertDeliveryTests.StartCluster();
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = rabbit.AlertingSettings(RabbitMqFixture.NewQueueName());
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("ops", receiver.Url + "ops"), ("chat", receiver.Url + "chat")], extra: settings);
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);

        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, alerts).Select(i => kafka.ProduceAsync(AlertKafka.NewAlert($"burst-{i:D4}", streamId: $"tenant-{i % 5}"))));
        await receiver.WaitForCountAsync(2 * alerts, Timeout);
        var elapsed = Stopwatch.GetElapsedTime(started);
        await host.StopAsync();

        output.WriteLine($"{2 * alerts} deliveries of {alerts} alerts (produced at once) through RabbitMQ in {elapsed.TotalMilliseconds:F0} ms: {2 * alerts / elapsed.TotalSeconds:F0} deliveries/s, Kafka to webhook");
        var keys = receiver.Accepted.Select(r => r.Header("Idempotency-Key")).ToHashSet();
        for (var i = 0; i < alerts; i++)
        {
            Assert.Contains($"burst-{i:D4}:ops", keys);
            Assert.Contains($"burst-{i:D4}:chat", keys);
        }
    }

    [Fact]
    public async Task DeliverWebhook_ReceiverDownLongerThanQuickRetries_DeliveredFromRetryStoreWithValidSignatures()
    {
        using var cluster = AlertDeliveryTests.StartCluster();
        await using var redis = await RedisServerProcess.StartAsync(CancellationToken.None);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.RequireSignature(Encoding.UTF8.GetBytes(Secret));
        // Two quick attempts per round: rounds 1 and 2 fail, round 3 (the second redelivery) succeeds.
        receiver.FailNext(4);
        var settings = rabbit.AlertingSettings(RabbitMqFixture.NewQueueName());
        settings["Redis:ConnectionString"] = redis.ConnectionString;
        settings["Alerting:Webhooks:0:Secret"] = Secret;
        settings["Alerting:Redelivery:MaxRedeliveries"] = "5";
        settings["Alerting:Redelivery:BaseDelay"] = "00:00:00.200";
        settings["Alerting:Redelivery:PollInterval"] = "00:00:00.050";
        // The circuit would open after 4 failures and turn later rounds into local refusals; keep it closed here.
        settings["Alerting:CircuitBreaker:MinimumThroughput"] = "100";
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("flaky", receiver.Url.ToString())], maxRetries: 1, extra: settings);
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);

        await kafka.ProduceAsync(AlertKafka.NewAlert("alert-r1"));
        var accepted = await receiver.WaitForCountAsync(1, Timeout);
        // The scheduler removes the entry just after the queue confirmed the re-send, which can be
        // after the delivery itself: wait for it briefly.
        var database = host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var stored = await database.SortedSetLengthAsync("alerting:redelivery");
        for (var i = 0; i < 50 && stored > 0; i++)
        {
            await Task.Delay(100);
            stored = await database.SortedSetLengthAsync("alerting:redelivery");
        }

        await host.StopAsync();

        Assert.Equal([503, 503, 503, 503, 200], receiver.Received.Select(r => r.StatusCode));
        Assert.All(receiver.Received, r => Assert.Equal("alert-r1:flaky", r.Header("Idempotency-Key")));
        // Each attempt is signed afresh, so a delivery from the store is not refused as stale.
        Assert.All(receiver.Received, r => Assert.Equal(SignatureCheck.Valid, r.Signature));
        Assert.Single(accepted);
        Assert.Equal(0, stored);
        Assert.Empty(kafka.ReadDeadLetters(1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task DeliverWebhook_ReceiverAlwaysDown_DeadLettersAfterEveryRoundWithReasonAndAttempts()
    {
        using var cluster = AlertDeliveryTests.StartCluster();
        await using var redis = await RedisServerProcess.StartAsync(CancellationToken.None);
        await using var down = await WebhookReceiver.StartAsync();
        down.FailNext(int.MaxValue);
        await using var healthy = await WebhookReceiver.StartAsync();
        var settings = rabbit.AlertingSettings(RabbitMqFixture.NewQueueName());
        settings["Redis:ConnectionString"] = redis.ConnectionString;
        settings["Alerting:Redelivery:MaxRedeliveries"] = "2";
        settings["Alerting:Redelivery:BaseDelay"] = "00:00:00.100";
        settings["Alerting:Redelivery:PollInterval"] = "00:00:00.050";
        // The circuit would open after 4 failures and turn later rounds into local refusals; keep it closed here.
        settings["Alerting:CircuitBreaker:MinimumThroughput"] = "100";
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("down", down.Url.ToString()), ("ops", healthy.Url.ToString())], maxRetries: 1, extra: settings);
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);

        await kafka.ProduceAsync(AlertKafka.NewAlert("alert-d1"));
        var letter = Assert.Single(kafka.ReadDeadLetters(1, Timeout));
        await healthy.WaitForCountAsync(1, Timeout);
        await host.StopAsync();
        output.WriteLine($"Dead letter: {letter.Reason}; receiver saw {string.Join(", ", down.Received.Select(r => r.StatusCode))}");

        // 3 rounds (first + 2 redeliveries) of 2 attempts each.
        Assert.Equal(6, down.Received.Count);
        Assert.Equal(6u, letter.Attempts);
        Assert.Contains("'down'", letter.Reason);
        Assert.Contains("after 6 attempt(s) in 3 rounds", letter.Reason);
        Assert.Contains("Alerting:Redelivery:MaxRedeliveries reached", letter.Reason);
        Assert.Contains("HTTP 503", letter.Reason);
        Assert.Equal("alerting", letter.Service);
        Assert.Equal("alert-d1", Streaming.Contracts.Alert.Parser.ParseFrom(letter.Payload).AlertId);
        Assert.Equal("alert-d1:ops", Assert.Single(healthy.Accepted).Header("Idempotency-Key"));
        Assert.Equal("alert-d1", JsonDocument.Parse(healthy.Accepted[0].Body).RootElement.GetProperty("alertId").GetString());
    }

    [Fact]
    public async Task DeliverWebhook_BrokerKilledWithQueuedDeliveries_DeliversThemAfterTheBrokerRestarts()
    {
        const int alerts = 6;
        // The collection's broker: its tests run one after another, and it is up again when this one ends.
        var broker = rabbit.Server;
        using var cluster = AlertDeliveryTests.StartCluster();
        await using var receiver = await WebhookReceiver.StartAsync();
        // One slow delivery at a time, so most deliveries wait in the queue when the broker dies.
        receiver.DelayResponses(TimeSpan.FromMilliseconds(500));
        var settings = rabbit.AlertingSettings(RabbitMqFixture.NewQueueName());
        settings["Alerting:ConcurrentDeliveries"] = "1";
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("ops", receiver.Url.ToString())], extra: settings);
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);

        for (var i = 0; i < alerts; i++)
            await kafka.ProduceAsync(AlertKafka.NewAlert($"b-{i}"));
        await receiver.WaitForCountAsync(1, Timeout);
        var beforeCrash = receiver.Accepted.Count;
        await broker.RestartAsync(CancellationToken.None);
        // Duplicates count towards the accepted requests, so wait for every alert's own key, not for a count.
        var expected = Enumerable.Range(0, alerts).Select(i => $"b-{i}:ops").ToList();
        await Eventually.WaitUntilAsync(() => expected.All(receiver.Accepted.Select(r => r.Header("Idempotency-Key")).ToHashSet().Contains), TimeSpan.FromSeconds(90), CancellationToken.None);
        await host.StopAsync();

        output.WriteLine($"{beforeCrash} of {alerts} delivered before the broker was killed; all {alerts} after its restart ({receiver.Accepted.Count} accepted with duplicates).");
        Assert.True(beforeCrash < alerts, "Every delivery was done before the broker died; the test proved nothing.");
        Assert.Equal(Enumerable.Range(0, alerts).Select(i => $"b-{i}:ops"), receiver.Accepted.Select(r => r.Header("Idempotency-Key")).Distinct().Order());
    }

    [Fact]
    public async Task DeliverWebhook_DeliveryOlderThanMaxAge_DeadLetteredInsteadOfScheduled()
    {
        using var cluster = AlertDeliveryTests.StartCluster();
        await using var redis = await RedisServerProcess.StartAsync(CancellationToken.None);
        await using var down = await WebhookReceiver.StartAsync();
        down.FailNext(int.MaxValue);
        var settings = rabbit.AlertingSettings(RabbitMqFixture.NewQueueName());
        settings["Redis:ConnectionString"] = redis.ConnectionString;
        settings["Alerting:Redelivery:MaxRedeliveries"] = "10";
        settings["Alerting:Redelivery:MaxAge"] = "01:00:00";
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("down", down.Url.ToString())], maxRetries: 0, extra: settings);
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);
        var alert = AlertKafka.NewAlert("old-1");
        // Handed over two hours ago and redelivered twice since: past MaxAge after this round.
        var delivery = new DeliverWebhook("old-1", "down", "{\"alertId\":\"old-1\"}"u8.ToArray(), "json", Attempts: 2, Redeliveries: 2,
            DateTimeOffset.UtcNow.AddHours(-2), "HTTP 503", "alerts", 1, 42, "tenant-a"u8.ToArray(), alert.ToByteArray());

        await host.Services.GetRequiredService<DeliveryQueue>().SendAsync([delivery], CancellationToken.None);
        var letter = Assert.Single(kafka.ReadDeadLetters(1, Timeout));
        var stored = await host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().SortedSetLengthAsync("alerting:redelivery");
        await host.StopAsync();

        Assert.Single(down.Received);
        Assert.Equal(3u, letter.Attempts);
        Assert.Contains("after 3 attempt(s) in 3 rounds", letter.Reason);
        Assert.Contains("Alerting:Redelivery:MaxAge reached", letter.Reason);
        Assert.Equal(42, letter.SourceOffset);
        Assert.Equal(1, letter.SourcePartition);
        Assert.Equal("old-1", Streaming.Contracts.Alert.Parser.ParseFrom(letter.Payload).AlertId);
        Assert.Equal(0, stored);
    }
}
