using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Streaming.LocalStack.Webhooks;
using Streaming.Alerting.Safety;
using Streaming.Contracts.Webhooks;
using Streaming.Contracts;
using Streaming.LocalStack.Kafka;

namespace Streaming.IntegrationTests.Alerting;

/// <summary>Signatures, timeouts, circuit breakers and SSRF refusals, with real HTTP receivers.</summary>
public sealed class AlertDeliveryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const string Secret = "integration-test-signing-secret";

    [Fact]
    public async Task HandleAsync_SignedTargetFailsOnce_ReceiverVerifiesEveryAttemptsSignature()
    {
        using var cluster = StartCluster();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.RequireSignature(Encoding.UTF8.GetBytes(Secret));
        receiver.FailNext(1);
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("ops", receiver.Url.ToString())],
            extra: new Dictionary<string, string?> { ["Alerting:Webhooks:0:Secret"] = Secret });
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);

        await kafka.ProduceAsync(AlertKafka.NewAlert("alert-s1"));
        await receiver.WaitForCountAsync(1, Timeout);
        await host.StopAsync();

        Assert.Equal([503, 200], receiver.Received.Select(r => r.StatusCode));
        Assert.All(receiver.Received, r => Assert.Equal(SignatureCheck.Valid, r.Signature));
        Assert.All(receiver.Received, r => Assert.Equal("alert-s1:ops", r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task HandleAsync_ReceiverWithOtherSecret_RefusesWith401AndAlertIsDeadLettered()
    {
        using var cluster = StartCluster();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.RequireSignature(Encoding.UTF8.GetBytes("the-receivers-different-secret"));
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("ops", receiver.Url.ToString())],
            extra: new Dictionary<string, string?> { ["Alerting:Webhooks:0:Secret"] = Secret });
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);

        await kafka.ProduceAsync(AlertKafka.NewAlert("alert-s2"));
        var letter = Assert.Single(kafka.ReadDeadLetters(1, Timeout));
        await host.StopAsync();

        // 401 is not transient: one attempt, no retry.
        var request = Assert.Single(receiver.Received);
        Assert.Equal(SignatureCheck.Mismatch, request.Signature);
        Assert.Contains("HTTP 401", letter.Reason);
        Assert.Equal(1u, letter.Attempts);
    }

    [Fact]
    public async Task HandleAsync_TargetSlowerThanAttemptTimeout_TimesOutEachAttemptThenDeadLetters()
    {
        using var cluster = StartCluster();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.DelayResponses(TimeSpan.FromSeconds(5));
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("slow", receiver.Url.ToString())], maxRetries: 1,
            extra: new Dictionary<string, string?> { ["Alerting:Webhooks:0:AttemptTimeout"] = "00:00:00.300" });
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);

        var started = DateTime.UtcNow;
        await kafka.ProduceAsync(AlertKafka.NewAlert("alert-t1"));
        var letter = Assert.Single(kafka.ReadDeadLetters(1, Timeout));
        var elapsed = DateTime.UtcNow - started;
        await host.StopAsync();

        Assert.Equal(2u, letter.Attempts);
        Assert.Contains("'slow'", letter.Reason);
        Assert.Contains("TimeoutRejectedException", letter.Reason);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"Two 300 ms attempts took {elapsed}: the attempt timeout did not cut the 5 s response.");
    }

    [Fact]
    public async Task HandleAsync_TargetAlwaysDown_CircuitOpensAndLaterAlertsFailFastWithoutHttp()
    {
        using var cluster = StartCluster();
        await using var down = await WebhookReceiver.StartAsync();
        down.FailNext(int.MaxValue);
        await using var healthy = await WebhookReceiver.StartAsync();
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("down", down.Url.ToString()), ("ops", healthy.Url.ToString())], maxRetries: 2,
            extra: new Dictionary<string, string?>
            {
                ["Alerting:CircuitBreaker:MinimumThroughput"] = "2",
                ["Alerting:CircuitBreaker:FailureRatio"] = "0.5",
                ["Alerting:CircuitBreaker:BreakDuration"] = "00:01:00",
                // One delivery at a time: with more, up to that many first attempts are in flight
                // before the breaker has seen two failures.
                ["Alerting:ConcurrentDeliveries"] = "1",
            });
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);

        for (var i = 0; i < 4; i++)
            await kafka.ProduceAsync(AlertKafka.NewAlert($"alert-c{i}"));
        var letters = kafka.ReadDeadLetters(4, Timeout);
        await healthy.WaitForCountAsync(4, Timeout);
        await host.StopAsync();

        // Two failed attempts open the circuit; every later attempt to "down" is refused locally.
        Assert.Equal(2, down.Received.Count);
        Assert.Equal(4, letters.Count);
        Assert.All(letters, l => Assert.Contains("'down'", l.Reason));
        Assert.All(letters, l => Assert.Contains("BrokenCircuitException", l.Reason));
        Assert.Equal(4, healthy.Accepted.Count);
    }

    [Fact]
    public async Task ConnectAsync_NameResolvingToLoopback_RefusedUnlessPrivateNetworksAllowed()
    {
        // "localhost" is a name, not a literal: only the resolved address can reveal it is internal,
        // exactly as with a public DNS name pointed (or rebound) at 127.0.0.1 or 169.254.169.254.
        await using var receiver = await WebhookReceiver.StartAsync();
        var url = $"http://localhost:{receiver.Url.Port}/hook";

        using var guarded = GuardedClient(allowPrivateNetworks: false);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => guarded.PostAsync(url, new StringContent("{}")));
        using var allowed = GuardedClient(allowPrivateNetworks: true);
        using var response = await allowed.PostAsync(url, new StringContent("{}"));

        Assert.Contains("Refused to connect to 'localhost'", error.Message);
        Assert.Contains("AllowPrivateNetworks is off", error.Message);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(receiver.Received);
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("[fd00:ec2::254]")]
    [InlineData("100.100.100.200")]
    [InlineData("[64:ff9b::a9fe:a9fe]")]
    public async Task ConnectAsync_MetadataAddressWithPrivateNetworksAllowed_RefusedWithoutConnecting(string host)
    {
        using var guarded = GuardedClient(allowPrivateNetworks: true);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => guarded.GetAsync($"http://{host}/latest/meta-data/iam/security-credentials/"));

        Assert.Contains("Refused to connect to", error.Message);
        Assert.Contains("which no setting allows", error.Message);
    }

    [Theory]
    [InlineData("https://127.0.0.1:9/x", "Alerting:Webhooks:0:Url points at a loopback, link-local or private address")]
    [InlineData("https://169.254.169.254/latest/meta-data", "Alerting:Webhooks:0:Url points at a link-local, cloud metadata, multicast or tunnelled address")]
    [InlineData("http://hooks.example.com/x", "Alerting:Webhooks:0:Url must use https")]
    public async Task StartAsync_UnsafeUrlWithoutAllowances_FailsNamingTheKey(string url, string expected)
    {
        using var host = AlertingHost.Build("127.0.0.1:9", [("ops", url)], extra: new Dictionary<string, string?>
        {
            ["Alerting:AllowInsecureHosts:0"] = null,
            ["Alerting:AllowPrivateNetworks"] = "false",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message);
    }

    private static HttpClient GuardedClient(bool allowPrivateNetworks) =>
        new(new SocketsHttpHandler { ConnectCallback = new SsrfConnectGuard(allowPrivateNetworks).ConnectAsync, UseProxy = false });

    internal static MockKafkaCluster StartCluster()
    {
        var cluster = MockKafkaCluster.Start();
        cluster.CreateTopic(Topics.Alerts, 3);
        cluster.CreateTopic(Topics.DeadLetterOf(Topics.Alerts), 1);
        return cluster;
    }
}
