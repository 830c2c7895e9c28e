using Streaming.Alerting.DeadLetters;
using Streaming.Alerting.Receiver;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.Alerting;

/// <summary>What `control deadletters list|resend` does, against the embedded Kafka and the real service.</summary>
public sealed class DeadLetterArchiveTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ResendAsync_DeadLetteredAlertAfterTargetRecovers_IsDeliveredWithTheSameIdempotencyKey()
    {
        using var cluster = AlertDeliveryTests.StartCluster();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailNext(2);
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("ops", receiver.Url.ToString())], maxRetries: 1);
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);
        await kafka.ProduceAsync(AlertKafka.NewAlert("alert-d1"));
        Assert.Single(kafka.ReadDeadLetters(1, Timeout));
        var archive = new DeadLetterArchive(new KafkaOptions { BootstrapServers = cluster.BootstrapServers });

        var letters = archive.ReadAll(Topics.DeadLetterOf(Topics.Alerts), Timeout);
        await archive.ResendAsync(letters, CancellationToken.None);
        var delivered = await receiver.WaitForCountAsync(1, Timeout);
        await host.StopAsync();

        var letter = Assert.Single(letters);
        Assert.Equal("alert-d1", letter.AlertId);
        Assert.Equal("alerting", letter.Letter.Service);
        Assert.Matches(@"^0:\d+$", letter.Position);
        Assert.Equal(["alert-d1:ops", "alert-d1:ops", "alert-d1:ops"], receiver.Received.Select(r => r.Header("Idempotency-Key")));
        Assert.Equal("alert-d1:ops", Assert.Single(delivered).Header("Idempotency-Key"));
    }

    [Fact]
    public void ReadAll_EmptyTopic_ReturnsNothingAtOnce()
    {
        using var cluster = AlertDeliveryTests.StartCluster();
        var archive = new DeadLetterArchive(new KafkaOptions { BootstrapServers = cluster.BootstrapServers });

        Assert.Empty(archive.ReadAll(Topics.DeadLetterOf(Topics.Alerts), Timeout));
    }
}
