using Confluent.Kafka;
using Streaming.Control.DeadLetters;
using Streaming.IntegrationTests.Alerting;
using Streaming.LocalStack.Webhooks;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.Control.DeadLetters;

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
    public async Task ResendAsync_LetterStoredTruncated_IsRefusedNamingItAndTheOriginal_AndNothingIsSent()
    {
        using var cluster = AlertDeliveryTests.StartCluster();
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("ops", "http://127.0.0.1:9/ops")],
            extra: new Dictionary<string, string?> { ["Kafka:DeadLetterMaxPayloadBytes"] = "1024" });
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);
        // Not protobuf (a varint that never ends): dead-lettered at once, the large one kept truncated.
        await kafka.ProduceAsync("tenant-a", Enumerable.Repeat((byte)0xFF, 5000).ToArray());
        await kafka.ProduceAsync("tenant-b", [0xFF, 0xFF]);
        Assert.Equal(2, kafka.ReadDeadLetters(2, Timeout).Count);
        await host.StopAsync();
        var archive = new DeadLetterArchive(new KafkaOptions { BootstrapServers = cluster.BootstrapServers });
        var letters = archive.ReadAll(Topics.DeadLetterOf(Topics.Alerts), Timeout);
        var truncated = Assert.Single(letters, l => l.Letter.PayloadTruncated);
        var whole = Assert.Single(letters, l => !l.Letter.PayloadTruncated);
        var alertsBefore = AlertsInTopic(cluster.BootstrapServers);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => archive.ResendAsync(letters, CancellationToken.None));

        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith($"Dead letter {truncated.Position} cannot be re-sent: its payload was stored truncated (1024 of 5000 bytes); " +
            $"the whole original is at {Topics.Alerts} [{truncated.Letter.SourcePartition}] @ {truncated.Letter.SourceOffset}", error.Message);
        Assert.EndsWith("nothing was re-sent.", error.Message);
        Assert.Equal(alertsBefore, AlertsInTopic(cluster.BootstrapServers));
        Assert.Null(whole.WhyNotResendable());
        await archive.ResendAsync([whole], CancellationToken.None);
        Assert.Equal(alertsBefore + 1, AlertsInTopic(cluster.BootstrapServers));
    }

    [Fact]
    public void ReadAll_EmptyTopic_ReturnsNothingAtOnce()
    {
        using var cluster = AlertDeliveryTests.StartCluster();
        var archive = new DeadLetterArchive(new KafkaOptions { BootstrapServers = cluster.BootstrapServers });

        Assert.Empty(archive.ReadAll(Topics.DeadLetterOf(Topics.Alerts), Timeout));
    }

    /// <summary>Messages ever written to the alerts topic (sum of its partitions' high watermarks).</summary>
    private static long AlertsInTopic(string bootstrapServers)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(new KafkaOptions { BootstrapServers = bootstrapServers }, "count", "count")).Build();
        return Enumerable.Range(0, 3).Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(Topics.Alerts, p), Timeout).High.Value);
    }
}
