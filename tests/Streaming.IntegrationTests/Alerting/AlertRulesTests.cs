using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Streaming.LocalStack.Webhooks;
using Streaming.Alerting.Rules;
using Streaming.LocalStack.Servers;

namespace Streaming.IntegrationTests.Alerting;

/// <summary>Rules against a real redis-server: routing, streaks, cooldowns, redelivery, bad rule files.</summary>
public sealed class AlertRulesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task HandleAsync_StreakAndCooldownRule_FiresOnceOnSecondAlertWhileOtherRuleGetsAll()
    {
        using var cluster = AlertDeliveryTests.StartCluster();
        await using var redis = await RedisServerProcess.StartAsync(CancellationToken.None);
        await using var receiver = await WebhookReceiver.StartAsync();
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("ops", receiver.Url + "ops"), ("chat", receiver.Url + "chat")],
            extra: new Dictionary<string, string?>
            {
                ["Redis:ConnectionString"] = redis.ConnectionString,
                ["Alerting:Webhooks:1:Format"] = "slack",
                ["Alerting:Rules:0:Name"] = "every-alert",
                ["Alerting:Rules:0:Targets:0"] = "ops",
                ["Alerting:Rules:1:Name"] = "persistent-attack",
                ["Alerting:Rules:1:Models:0"] = "mnist-cnn",
                ["Alerting:Rules:1:MinSeverity"] = "medium",
                ["Alerting:Rules:1:ConsecutiveWindows"] = "2",
                ["Alerting:Rules:1:Cooldown"] = "01:00:00",
                ["Alerting:Rules:1:Targets:0"] = "chat",
                ["Alerting:Rules:2:Name"] = "never",
                ["Alerting:Rules:2:Streams:0"] = "no-such-stream",
                ["Alerting:Rules:2:Targets:0"] = "chat",
            });
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);

        foreach (var id in new[] { "a1", "a2", "a3", "a4" })
            await kafka.ProduceAsync(AlertKafka.NewAlert(id));
        await receiver.WaitForCountAsync(5, Timeout);
        await Task.Delay(300); // anything wrongly routed to chat would arrive by now
        await host.StopAsync();

        var byPath = receiver.Accepted.ToLookup(r => r.Path);
        // Deliveries run concurrently off the queue: the order of arrival is not the order of the alerts.
        Assert.Equal(["a1:ops", "a2:ops", "a3:ops", "a4:ops"], byPath["/ops"].Select(r => r.Header("Idempotency-Key")).Order());
        // a1 starts the streak, a2 completes it and fires, a3 and a4 fall in the cooldown.
        var chat = Assert.Single(byPath["/chat"]);
        Assert.Equal("a2:chat", chat.Header("Idempotency-Key"));
        var text = JsonDocument.Parse(chat.Body).RootElement.GetProperty("text").GetString();
        Assert.Contains("mnist-cnn", text);
        Assert.Contains("tenant-a", text);
        Assert.Contains("a2", text);
    }

    [Fact]
    public async Task DecideAsync_SameAlertRedelivered_GetsItsFirstDecisionDespiteItsOwnCooldown()
    {
        await using var redis = await RedisServerProcess.StartAsync(CancellationToken.None);
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var store = new RuleStateStore(connection);
        var rule = new AlertRule { Name = "r", Cooldown = TimeSpan.FromHours(1), Targets = ["ops"] };

        var first = await store.DecideAsync(rule, "m", "s", "alert-1", CancellationToken.None);
        var redelivered = await store.DecideAsync(rule, "m", "s", "alert-1", CancellationToken.None);
        var next = await store.DecideAsync(rule, "m", "s", "alert-2", CancellationToken.None);
        var otherStream = await store.DecideAsync(rule, "m", "s2", "alert-3", CancellationToken.None);

        Assert.Equal(RuleDecision.Deliver, first);
        Assert.Equal(RuleDecision.Deliver, redelivered);
        Assert.Equal(RuleDecision.Cooldown, next);
        Assert.Equal(RuleDecision.Deliver, otherStream);
    }

    [Fact]
    public async Task DecideAsync_GapLongerThanConsecutiveWithin_RestartsTheStreak()
    {
        await using var redis = await RedisServerProcess.StartAsync(CancellationToken.None);
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var store = new RuleStateStore(connection);
        var rule = new AlertRule { Name = "r", ConsecutiveWindows = 2, ConsecutiveWithin = TimeSpan.FromMilliseconds(200), Targets = ["ops"] };

        var a = await store.DecideAsync(rule, "m", "s", "a", CancellationToken.None);
        await Task.Delay(400);
        var b = await store.DecideAsync(rule, "m", "s", "b", CancellationToken.None);
        var c = await store.DecideAsync(rule, "m", "s", "c", CancellationToken.None);

        Assert.Equal([RuleDecision.Streak, RuleDecision.Streak, RuleDecision.Deliver], new[] { a, b, c });
    }

    [Fact]
    public async Task StartAsync_RulesFileWithBadSeverity_FailsNamingTheKeyAndTheFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"alert-rules-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            { "Alerting": { "Rules": [
              { "Name": "ok", "Targets": ["ops"] },
              { "Name": "bad", "MinSeverity": "urgent", "Targets": ["ops", "pager"] } ] } }
            """);
        try
        {
            using var host = AlertingHost.Build("127.0.0.1:9", [("ops", "http://127.0.0.1:9/x")],
                extra: new Dictionary<string, string?> { ["Alerting:RulesFile"] = file });

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

            Assert.Contains("Alerting:Rules:1:MinSeverity must be one of low, medium, high (got 'urgent')", error.Message);
            Assert.Contains("Alerting:Rules:1:Targets:1 'pager' is not the Name of any Alerting:Webhooks entry", error.Message);
            Assert.Contains(file, error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Build_RulesFileMissing_FailsNamingTheKey()
    {
        var error = Assert.Throws<OptionsValidationException>(() => AlertingHost.Build("127.0.0.1:9", [("ops", "http://127.0.0.1:9/x")],
            extra: new Dictionary<string, string?> { ["Alerting:RulesFile"] = "/nonexistent/rules.json" }));

        Assert.Contains("Alerting:RulesFile '/nonexistent/rules.json' does not exist", error.Message);
    }
}
