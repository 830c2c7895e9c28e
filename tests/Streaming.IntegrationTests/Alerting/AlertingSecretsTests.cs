using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.LocalStack.Webhooks;

namespace Streaming.IntegrationTests.Alerting;

/// <summary>
/// A webhook URL is a credential (Slack-style: the path is the secret). Real deliveries, one
/// refused by a target whose error page echoes the URL and one delivered, with every log line
/// (all levels, scopes and structured values), the dead letter and every metric tag recorded.
/// </summary>
public sealed class AlertingSecretsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const string PathSecret = "XXXXPATHSECRET";
    private const string QuerySecret = "QUERYSECRET";

    [Fact]
    public async Task HandleAsync_TargetUrlWithSecretPathAndQuery_NoLogLineDeadLetterOrMetricTagContainsIt()
    {
        using var cluster = AlertDeliveryTests.StartCluster();
        await using var receiver = await WebhookReceiver.StartAsync();
        var url = new Uri(receiver.Url, $"services/T0{PathSecret}/B0{PathSecret}/{PathSecret}?token={QuerySecret}").ToString();
        receiver.FailNext(1, 404, "no webhook at {path}");
        var logs = new RecordingLoggerProvider();
        using var tags = new AllMetricTags();
        using var host = AlertingHost.Build(cluster.BootstrapServers, [("slack", url)], maxRetries: 0, configure: builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
        });
        await host.StartAsync();
        using var kafka = new AlertKafka(cluster.BootstrapServers);

        await kafka.ProduceAsync(AlertKafka.NewAlert("alert-x1"));
        var letter = Assert.Single(kafka.ReadDeadLetters(1, Timeout));
        await kafka.ProduceAsync(AlertKafka.NewAlert("alert-x2"));
        await receiver.WaitForCountAsync(1, Timeout);
        Assert.True(await Eventually.WaitUntilAsync(() => logs.SinkLines.Any(l => l.Contains("alert-x2 delivered to slack")), Timeout, CancellationToken.None));
        await host.StopAsync();

        // The requests really went to the secret URL, and its error page really echoed it.
        Assert.All(receiver.Received, r => Assert.Contains(PathSecret, r.Path));
        Assert.Contains("HTTP 404", letter.Reason);
        Assert.Contains("no webhook at [redacted]", letter.Reason);
        Assert.DoesNotContain(PathSecret, letter.Reason);
        Assert.DoesNotContain(QuerySecret, letter.Reason);
        // Lines were recorded at every level, the start-up one naming the target by scheme and host.
        Assert.Contains(logs.SinkLines, l => l.Contains($"slack (http://127.0.0.1:{receiver.Url.Port})"));
        Assert.Contains(logs.SinkLines, l => l.StartsWith("Trace ", StringComparison.Ordinal) || l.StartsWith("Debug ", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.SinkLines, l => l.Contains(PathSecret) || l.Contains(QuerySecret));
        Assert.Contains("slack", tags.Values);
        Assert.DoesNotContain(tags.Values, v => v.Contains(PathSecret) || v.Contains(QuerySecret));
    }

    /// <summary>Every tag value of every measurement of every meter in the process while it lives.</summary>
    private sealed class AllMetricTags : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<string> _values = new();

        public AllMetricTags()
        {
            _listener.InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument);
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) => Record(tags));
            _listener.SetMeasurementEventCallback<int>((_, _, tags, _) => Record(tags));
            _listener.SetMeasurementEventCallback<double>((_, _, tags, _) => Record(tags));
            _listener.Start();
        }

        public IReadOnlyList<string> Values => [.. _values];

        public void Dispose() => _listener.Dispose();

        private void Record(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
                _values.Enqueue(tag.Value?.ToString() ?? "");
        }
    }
}
