using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Streaming.Contracts;
using Streaming.Control.Hosting;
using Streaming.Control.Workshop;
using Streaming.Lab.Data;
using Streaming.LocalStack;
using Xunit.Abstractions;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// One W3C trace followed through the whole pipeline as real processes (embedded Kafka,
/// redis-server, rabbitmq-server, the four services, a webhook receiver): each predict request
/// carries a trace of its own; the window closed by the last request alerts, and its alert on
/// Kafka and its webhook POST both continue that request's trace — not another request's, not a new one.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class TraceFromPredictToWebhookTests(ITestOutputHelper output)
{
    private const int Window = 20;
    private const string Stream = "traced";

    [Fact]
    public async Task AttackedWindow_AlertAndWebhookContinueTheTraceOfTheRequestThatClosedIt()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = cts.Token;
        var paths = RepoPaths.Discover();
        var test = MnistDataset.Load(paths.MnistData, MnistSplit.Test);
        ModelCache.Ensure(paths, ct);
        var sample = CleanSample.Draw(test.Count);
        var referencePath = Path.Combine(paths.Artifacts, "test-trace", "reference.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(referencePath)!);
        sample.EnsureReference(paths.DefaultModelDirectory, test, referencePath);
        var traffic = sample.TrafficImages(test, Window);
        // FGSM 0.3 moves the deep layers far from the clean reference: the window alerts.
        var (attacked, _) = ModelCache.Attack(paths, traffic, 0, Window, "fgsm", 0.3);

        var settings = new PipelineSettings
        {
            ModelDirectory = paths.DefaultModelDirectory,
            ReferencePath = referencePath,
            WindowSize = Window,
            WindowSlide = Window,
            Permutations = 200,
            LogDirectory = Path.Combine(paths.Artifacts, "test-trace", "logs"),
        };
        await using var pipeline = await EmbeddedPipeline.StartAsync(paths, settings, ct);
        using var alerts = new TopicReader(pipeline.KafkaOptions, Topics.Alerts);
        using var activations = new TopicReader(pipeline.KafkaOptions, Topics.Activations);
        using var windows = new TopicReader(pipeline.KafkaOptions, Topics.Windows);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

        var traces = new List<ActivityTraceId>();
        for (var i = 0; i < Window; i++)
        {
            var trace = ActivityTraceId.CreateRandom();
            traces.Add(trace);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(pipeline.InferenceUrl, "/v1/predict"))
            {
                Content = JsonContent.Create(new { streamId = Stream, images = new[] { attacked.AsSpan(i * MnistDataset.PixelsPerImage, MnistDataset.PixelsPerImage).ToArray() } }),
            };
            // The client's own span in that trace: where this test process listens to HttpClient (an in-process
            // host of another test registered OpenTelemetry), the handler replaces the traceparent header by its
            // own span's, a child of the current activity, so the trace id survives only if it is current here.
            using var client = new Activity("predict").SetParentId(trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start();
            request.Headers.Add("traceparent", client.Id);
            using var response = await http.SendAsync(request, ct);
            Assert.True(response.IsSuccessStatusCode, $"predict {i}: {(int)response.StatusCode}");
        }

        // The stream window and the model-wide window over the same 20 events: both closed by the last request.
        var webhooks = await pipeline.Receiver.WaitForCountAsync(2, TimeSpan.FromSeconds(120), ct);
        await alerts.WaitForAsync(2, TimeSpan.FromSeconds(10), ct);
        var closing = traces[^1].ToHexString();
        output.WriteLine("requests: " + string.Join(", ", traces.Select(t => t.ToHexString()[..8])));
        output.WriteLine("activations: " + string.Join(", ", activations.Messages.Select(m => TraceIdOf(Header(m, "traceparent"))?[..8] ?? "-")));
        foreach (var window in windows.Messages)
            output.WriteLine($"window {WindowReady.Parser.ParseFrom(window.Value).WindowId}: traceparent {Header(window, "traceparent")}");
        foreach (var alert in alerts.Messages)
        {
            var parsed = Alert.Parser.ParseFrom(alert.Value);
            var header = Header(alert, "traceparent");
            output.WriteLine($"alert {parsed.WindowId}: traceparent {header}");
            Assert.Equal(closing, TraceIdOf(header));
        }

        foreach (var webhook in webhooks)
        {
            output.WriteLine($"webhook {webhook.Path}: traceparent {webhook.Header("traceparent")}");
            Assert.Equal(closing, TraceIdOf(webhook.Header("traceparent")));
        }
    }

    private static string? Header(Confluent.Kafka.Message<byte[], byte[]> message, string name) =>
        message.Headers is not null && message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.ASCII.GetString(bytes) : null;

    /// <summary>The trace id of a W3C traceparent (version-traceid-spanid-flags); null when absent or malformed.</summary>
    private static string? TraceIdOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null;
}
