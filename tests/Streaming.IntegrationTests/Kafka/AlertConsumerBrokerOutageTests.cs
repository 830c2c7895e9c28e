using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Streaming.Alerting.Extensions;
using Streaming.LocalStack.Webhooks;
using Streaming.IntegrationTests.Alerting;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.IntegrationTests.Kafka.Consumers;
using Streaming.Messaging;
using Streaming.ServiceDefaults;

namespace Streaming.IntegrationTests.Kafka;

/// <summary>
/// The real Alerting consumer while its RabbitMQ broker is killed and takes longer than
/// max.poll.interval.ms (3 s here) to come back: the alerts must wait, paused, in the same
/// group member, and all be delivered afterwards, none dead-lettered.
/// </summary>
[Collection(RabbitMqFixtureCollection.Name)]
public sealed class AlertConsumerBrokerOutageTests(RabbitMqFixture rabbit)
{
    [Fact]
    public async Task HandleAsync_BrokerDownLongerThanMaxPollInterval_StaysInGroupAndDeliversEveryAlert()
    {
        const int alerts = 12;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var cluster = AlertDeliveryTests.StartCluster();
        await using var receiver = await WebhookReceiver.StartAsync();
        var logs = new RecordingLoggerProvider(LogLevel.Information);
        using var host = Build(cluster.BootstrapServers, receiver.Url.ToString(), rabbit.AlertingSettings(RabbitMqFixture.NewQueueName()), logs);
        await host.StartAsync(cts.Token);
        using var kafka = new AlertKafka(cluster.BootstrapServers);
        await kafka.ProduceAsync(AlertKafka.NewAlert("outage-first"));
        await receiver.WaitForCountAsync(1, TimeSpan.FromSeconds(30));

        // Killed, kept down for longer than max.poll.interval.ms (its boot alone took 2.9 s on a fast
        // machine), then started again on the same port. Alerts keep arriving meanwhile.
        // MassTransit holds the send until it has reconnected: the handler runs for seconds, and
        // the loop must keep polling (partitions paused) beside it.
        var down = System.Diagnostics.Stopwatch.StartNew();
        var restart = rabbit.Server.RestartAsync(TimeSpan.FromSeconds(3.5), cts.Token);
        for (var i = 1; i < alerts; i++)
            await kafka.ProduceAsync(AlertKafka.NewAlert($"outage-{i:D2}", streamId: $"tenant-{i % 3}"));
        await restart;
        Assert.True(down.Elapsed > TimeSpan.FromSeconds(3), $"the broker was back after {down.Elapsed.TotalSeconds:0.0} s, within max.poll.interval.ms");
        var expected = new[] { "outage-first:ops" }.Concat(Enumerable.Range(1, alerts - 1).Select(i => $"outage-{i:D2}:ops")).ToHashSet();
        Assert.True(
            await Eventually.WaitUntilAsync(() => expected.IsSubsetOf(receiver.Accepted.Select(r => r.Header("Idempotency-Key") ?? "")), TimeSpan.FromSeconds(90), cts.Token),
            $"delivered {receiver.Accepted.Count}: {string.Join(", ", receiver.Accepted.Select(r => r.Header("Idempotency-Key")))}");
        var entries = logs.Entries;
        await host.StopAsync(cts.Token);

        Assert.Empty(kafka.ReadDeadLetters(1, TimeSpan.FromSeconds(6)));
        Assert.DoesNotContain(entries, e => e.Text.Contains("partitions lost") || e.Text.Contains("partitions revoked") || e.Text.Contains("MAXPOLL"));
    }

    /// <summary>Alerting's wiring as in its Program.cs (and <see cref="AlertingHost"/>), with recorded logs and a 3 s max.poll.interval.ms.</summary>
    private static IHost Build(string bootstrapServers, string url, Dictionary<string, string?> transport, RecordingLoggerProvider logs)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrapServers,
            ["Kafka:SessionTimeoutMs"] = "3000",
            ["Kafka:HeartbeatIntervalMs"] = "500",
            ["Kafka:Properties:max.poll.interval.ms"] = "3000",
            ["Alerting:GroupId"] = "alerting-outage",
            ["Alerting:AttemptTimeout"] = "00:00:15",
            ["Alerting:AllowInsecureHosts:0"] = "127.0.0.1",
            ["Alerting:AllowPrivateNetworks"] = "true",
            ["Alerting:Redelivery:MaxRedeliveries"] = "0",
            ["Alerting:Webhooks:0:Name"] = "ops",
            ["Alerting:Webhooks:0:Url"] = url,
        };
        foreach (var (key, value) in transport)
            settings[key] = value;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.AddKafka(builder.Configuration);
        builder.AddAlerting();
        return builder.Build();
    }
}
