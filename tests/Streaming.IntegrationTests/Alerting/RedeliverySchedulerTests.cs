using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Streaming.Alerting.Delivery;
using Streaming.LocalStack.Webhooks;
using Streaming.Alerting.Redelivery;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.LocalStack.Servers;

namespace Streaming.IntegrationTests.Alerting;

/// <summary>The scheduler on a fake clock: a stored delivery goes back onto the (real RabbitMQ) queue exactly when due.</summary>
[Collection(RabbitMqFixtureCollection.Name)]
public sealed class RedeliverySchedulerTests(RabbitMqFixture rabbit)
{
    [Fact]
    public async Task ExecuteAsync_EntryDueIn30FakeSeconds_SentOnlyOnceTheFakeClockPassesIt()
    {
        using var cluster = AlertDeliveryTests.StartCluster();
        await using var redis = await RedisServerProcess.StartAsync(CancellationToken.None);
        await using var receiver = await WebhookReceiver.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = rabbit.AlertingSettings(RabbitMqFixture.NewQueueName());
        settings["Redis:ConnectionString"] = redis.ConnectionString;
        settings["Alerting:Redelivery:MaxRedeliveries"] = "3";
        settings["Alerting:Redelivery:PollInterval"] = "00:00:01";
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("ops", receiver.Url.ToString())], maxRetries: 0, extra: settings, timeProvider: clock);
        await host.StartAsync();
        var store = host.Services.GetRequiredService<RedeliveryStore>();
        var alert = AlertKafka.NewAlert("stored-1");
        var delivery = new DeliverWebhook("stored-1", "ops", "{\"alertId\":\"stored-1\"}"u8.ToArray(), "json", 1, 1, clock.GetUtcNow(), "HTTP 503",
            "alerts", 0, 0, "tenant-a"u8.ToArray(), alert.ToByteArray());

        await store.ScheduleAsync(delivery, clock.GetUtcNow().AddSeconds(30), CancellationToken.None);
        for (var s = 0; s < 29; s++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        var receivedBeforeDue = receiver.Received.Count;
        var storedBeforeDue = await store.CountAsync();
        // Past due: step the clock until the scheduler's next pass has run.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (receiver.Accepted.Count == 0 && DateTime.UtcNow < deadline)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(100);
        }

        // Removed just after the queue confirmed the re-send, which can be after the delivery itself.
        var storedAfter = await store.CountAsync();
        for (var i = 0; i < 50 && storedAfter > 0; i++)
        {
            await Task.Delay(100);
            storedAfter = await store.CountAsync();
        }

        await host.StopAsync();

        Assert.Equal(0, receivedBeforeDue);
        Assert.Equal(1, storedBeforeDue);
        Assert.Equal("stored-1:ops", Assert.Single(receiver.Accepted).Header("Idempotency-Key"));
        Assert.Equal(0, storedAfter);
    }
}
