using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Google.Protobuf;
using Streaming.LocalStack.Webhooks;
using Streaming.Contracts;
using Streaming.LocalStack.Kafka;

namespace Streaming.IntegrationTests.Alerting;

/// <summary>The real consumer, resilience pipeline and HTTP, against the embedded Kafka and a local receiver.</summary>
public sealed class AlertConsumerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task HandleAsync_ValidAlert_PostsVersionedJsonWithIdempotencyKey()
    {
        using var cluster = StartCluster();
        await using var receiver = await WebhookReceiver.StartAsync();
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("ops", receiver.Url + "hooks/ops")]);
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);

        await kafka.ProduceAsync(AlertKafka.NewAlert("alert-1"));
        var delivered = await receiver.WaitForCountAsync(1, Timeout);
        await host.StopAsync();

        var request = Assert.Single(delivered);
        Assert.Equal("/hooks/ops", request.Path);
        Assert.Equal("alert-1:ops", request.Header("Idempotency-Key"));
        Assert.StartsWith("application/json", request.Header("Content-Type"));
        var json = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(1, json.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("alert-1", json.GetProperty("alertId").GetString());
        Assert.Equal("mnist-cnn", json.GetProperty("model").GetString());
        Assert.Equal("3", json.GetProperty("modelVersion").GetString());
        Assert.Equal("tenant-a", json.GetProperty("streamId").GetString());
        Assert.Equal("w-17", json.GetProperty("windowId").GetString());
        Assert.Equal(AlertKafka.AlertTime, json.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(AlertKafka.AlertTime.AddSeconds(-1), json.GetProperty("lastEventTimestamp").GetDateTimeOffset());
        Assert.Equal(0.002, json.GetProperty("combinedPValue").GetDouble());
        Assert.Equal(0.05, json.GetProperty("alpha").GetDouble());
        Assert.Equal(["conv2"], json.GetProperty("rejectedLayers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["e-9", "e-4"], json.GetProperty("topEventIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("high", json.GetProperty("severity").GetString());
        var layer = json.GetProperty("layers")[1];
        Assert.Equal("conv2", layer.GetProperty("layer").GetString());
        Assert.Equal(0.25, layer.GetProperty("mmd2").GetDouble());
        Assert.Equal(0.001, layer.GetProperty("pValue").GetDouble());
        Assert.True(layer.GetProperty("rejected").GetBoolean());
    }

    [Fact]
    public async Task HandleAsync_ReceiverFailsFirstTwoRequests_DeliversOnThirdAttempt()
    {
        using var cluster = StartCluster();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailNext(2);
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("ops", receiver.Url.ToString())]);
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);

        await kafka.ProduceAsync(AlertKafka.NewAlert("alert-2"));
        await receiver.WaitForCountAsync(1, Timeout);
        await host.StopAsync();

        Assert.Equal([503, 503, 200], receiver.Received.Select(r => r.StatusCode));
        Assert.All(receiver.Received, r => Assert.Equal("alert-2:ops", r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task HandleAsync_TargetDown_DeadLettersThatTargetAndDeliversToTheOther()
    {
        using var cluster = StartCluster();
        await using var receiver = await WebhookReceiver.StartAsync();
        var closedPort = $"http://127.0.0.1:{FreePort()}/down";
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("pager", closedPort), ("ops", receiver.Url.ToString())], maxRetries: 2);
        using var metrics = new DeliveryMetricsListener(host.Services.GetRequiredService<IMeterFactory>());
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);

        await kafka.ProduceAsync(AlertKafka.NewAlert("alert-3"));
        var delivered = await receiver.WaitForCountAsync(1, Timeout);
        var letters = kafka.ReadDeadLetters(1, Timeout);
        await host.StopAsync();

        Assert.Equal("alert-3:ops", Assert.Single(delivered).Header("Idempotency-Key"));
        var letter = Assert.Single(letters);
        Assert.Equal("alerting", letter.Service);
        Assert.Equal(Topics.Alerts, letter.SourceTopic);
        Assert.Equal(3u, letter.Attempts);
        Assert.Contains("'pager'", letter.Reason);
        Assert.Contains("HttpRequestException", letter.Reason);
        Assert.Equal("alert-3", Alert.Parser.ParseFrom(letter.Payload).AlertId);
        Assert.Equal(["ops:delivered:1", "pager:failed:1"], metrics.Deliveries.Order());
    }

    [Fact]
    public async Task HandleAsync_TargetAlways503_MakesExactlyRetriesPlusOneAttemptsThenDeadLetters()
    {
        // ServiceDefaults puts a retrying handler on every HttpClient; this proves the webhook
        // client has it removed, so the configured retries are the only ones.
        using var cluster = StartCluster();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailNext(int.MaxValue);
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("ops", receiver.Url.ToString())], maxRetries: 2);
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);

        await kafka.ProduceAsync(AlertKafka.NewAlert("alert-4"));
        var letter = Assert.Single(kafka.ReadDeadLetters(1, Timeout));
        await host.StopAsync();

        Assert.Equal(3, receiver.Received.Count);
        Assert.Equal(3u, letter.Attempts);
        Assert.Contains("'ops'", letter.Reason);
        Assert.Contains("HTTP 503", letter.Reason);
    }

    [Fact]
    public async Task HandleAsync_MalformedAlert_DeadLettersItAndDeliversTheNextAlert()
    {
        using var cluster = StartCluster();
        await using var receiver = await WebhookReceiver.StartAsync();
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("ops", receiver.Url.ToString())]);
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);
        var garbage = new byte[64];
        new Random(7).NextBytes(garbage);

        // Same key: same partition, so the valid alert is consumed after the garbage.
        await kafka.ProduceAsync("tenant-a", garbage);
        await kafka.ProduceAsync(AlertKafka.NewAlert("alert-5"));
        var delivered = await receiver.WaitForCountAsync(1, Timeout);
        var letter = Assert.Single(kafka.ReadDeadLetters(1, Timeout));
        await host.StopAsync();

        Assert.Equal("alert-5:ops", Assert.Single(delivered).Header("Idempotency-Key"));
        Assert.Equal("alerting", letter.Service);
        Assert.Contains("Alert", letter.Reason);
        Assert.Equal(garbage, letter.Payload.ToByteArray());
    }

    [Fact]
    public async Task HandleAsync_NaNPValuesAndTimestampsOutOfRange_DeliversNullsAtTheFirstAttempt()
    {
        // Online-mode alerts carry NaN p-values; an event time of nanos -1 once passed ingestion.
        // The serializer used to throw and the alert was retried for an hour at the head of its partition.
        // (A header timestamp that is not a valid instant breaks the contract's rules and is dead-lettered
        // at once, like any malformed alert; fields outside the header are delivered as null.)
        using var cluster = StartCluster();
        await using var receiver = await WebhookReceiver.StartAsync();
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("ops", receiver.Url.ToString())]);
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);
        var alert = AlertKafka.NewAlert("alert-nan");
        alert.Mode = "online";
        alert.CombinedPValue = double.NaN;
        alert.Alpha = double.PositiveInfinity;
        alert.Layers[1].PValue = double.NaN;
        alert.Layers[1].Mmd2 = double.NegativeInfinity;
        alert.Layers[1].Threshold = double.NaN;
        alert.LastEventTimestamp = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = 1, Nanos = -1 };

        await kafka.ProduceAsync(alert);
        var delivered = await receiver.WaitForCountAsync(1, Timeout);
        await host.StopAsync();

        var request = Assert.Single(delivered);
        Assert.Single(receiver.Received);
        var json = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("online", json.GetProperty("mode").GetString());
        foreach (var field in new[] { "combinedPValue", "alpha", "lastEventTimestamp" })
            Assert.Equal(JsonValueKind.Null, json.GetProperty(field).ValueKind);
        var layer = json.GetProperty("layers")[1];
        foreach (var field in new[] { "pValue", "mmd2", "threshold" })
            Assert.Equal(JsonValueKind.Null, layer.GetProperty(field).ValueKind);
        Assert.Equal(0.01, json.GetProperty("layers")[0].GetProperty("mmd2").GetDouble());
    }

    [Fact]
    public async Task HandleAsync_StreamIdWithNewlineInAlertId_DeadLettersAtOnceAndDeliversTheNextAlert()
    {
        // "evil\n" passed the predict validator; an alert id built from it cannot be an Idempotency-Key.
        using var cluster = StartCluster();
        await using var receiver = await WebhookReceiver.StartAsync();
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("ops", receiver.Url.ToString())]);
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);

        // Same key: same partition, so the good alert waits behind the bad one unless it is let go at once.
        await kafka.ProduceAsync("tenant-a", AlertKafka.NewAlert("alert:mnist-cnn/evil\n/1").ToByteArray());
        await kafka.ProduceAsync(AlertKafka.NewAlert("alert:mnist-cnn/tenant-a/2"));
        var delivered = await receiver.WaitForCountAsync(1, Timeout);
        var letter = Assert.Single(kafka.ReadDeadLetters(1, Timeout));
        await host.StopAsync();

        Assert.Equal("alert:mnist-cnn/tenant-a/2:ops", Assert.Single(delivered).Header("Idempotency-Key"));
        Assert.Single(receiver.Received);
        Assert.Equal(1u, letter.Attempts);
        Assert.Contains("alert_id 'alert:mnist-cnn/evil\\u000A/1' contains the control character U+000A", letter.Reason);
        Assert.Equal("alert:mnist-cnn/evil\n/1", Alert.Parser.ParseFrom(letter.Payload).AlertId);
    }

    [Fact]
    public async Task StartAsync_WebhookUrlNotHttp_FailsNamingTheKey()
    {
        using var host = AlertingHost.Build("127.0.0.1:9", [("ops", "http://127.0.0.1:1/ok"), ("pager", "ftp://example.org/x")]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Alerting:Webhooks:1:Url must be an absolute http(s) URL", error.Message);
    }

    [Theory]
    [InlineData("Alerting:Transport", "rabbit-mq", "Alerting:Transport must be rabbitmq or inmemory (got 'rabbit-mq')")]
    [InlineData("Alerting:Transport", "rabbitmq", "Alerting:RabbitMq:Host is required with Alerting:Transport 'rabbitmq'")]
    [InlineData("Alerting:Redelivery:MaxRedeliveries", "5", "Redis:ConnectionString is required: Alerting:Redelivery:MaxRedeliveries is 5")]
    public async Task StartAsync_BadTransportConfiguration_FailsNamingTheKey(string key, string value, string expected)
    {
        using var host = AlertingHost.Build("127.0.0.1:9", [("ops", "http://127.0.0.1:1/ok")], extra: new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message);
    }

    private static MockKafkaCluster StartCluster()
    {
        var cluster = MockKafkaCluster.Start();
        cluster.CreateTopic(Topics.Alerts, 3);
        cluster.CreateTopic(Topics.DeadLetterOf(Topics.Alerts), 1);
        return cluster;
    }

    /// <summary>A port nothing listens on: bound then released, so connections are refused at once.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
