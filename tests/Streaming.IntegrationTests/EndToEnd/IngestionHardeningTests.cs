using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Streaming.Contracts;
using Streaming.Contracts.Validation;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Processes;
using Streaming.Messaging;
using Xunit.Abstractions;
using static Streaming.IntegrationTests.EndToEnd.ActivationRequests;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// The Inference process against hostile requests: a refused request publishes nothing, bodies are
/// bounded in memory, clients are authenticated and rate-limited, and a broker that does not confirm
/// is a 503, never a 500 after a partial publish.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class IngestionHardeningTests(TrainedModelFixture model, ITestOutputHelper output)
{
    [Fact]
    public async Task Ingestion_HostileRequests_RefusedWithFieldNamedNothingPublishedMemoryBounded()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic(Topics.Activations, 2);
        await using var service = await StartAsync(kafka.BootstrapServers, new Dictionary<string, string>(), cts.Token);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var activations = new Uri(service.BaseAddress, "/v1/activations");
        var predict = new Uri(service.BaseAddress, "/v1/predict");

        // One oversized event among 15 good ones: 400, and none of the 15 is published.
        var oversized = new ActivationBatch { Events = { Enumerable.Range(0, 16).Select(i => Event($"ok-{i}")) } };
        oversized.Events[9].Layers.Add(new LayerActivation { Layer = "huge", Values = { new float[EventRules.MaxLayerValues] } });
        oversized.Events[9].Layers.Add(new LayerActivation { Layer = "huge2", Values = { new float[EventRules.MaxLayerValues] } });
        oversized.Events[9].Layers.Add(new LayerActivation { Layer = "huge3", Values = { new float[EventRules.MaxLayerValues] } });
        await AssertRefusedAsync(http, activations, Body(oversized.ToByteArray(), Batch), HttpStatusCode.BadRequest, "events[9]", cts.Token);

        var slashModel = new ActivationBatch { Events = { Event("a-1"), Event("a-2") } };
        slashModel.Events[1].Header.Model = "acme/resnet";
        await AssertRefusedAsync(http, activations, Body(slashModel.ToByteArray(), Batch), HttpStatusCode.BadRequest, "events[1].header.model", cts.Token);

        var farFuture = Event("t-1");
        farFuture.Header.Timestamp = new Timestamp { Seconds = 1_000_000_000_000 };
        await AssertRefusedAsync(http, activations, Body(farFuture.ToByteArray()), HttpStatusCode.BadRequest, "header.timestamp", cts.Token);

        var huge = Event("v-1");
        huge.Layers[0].Values[0] = 1e20f;
        await AssertRefusedAsync(http, activations, Body(huge.ToByteArray()), HttpStatusCode.BadRequest, "layers[0].values", cts.Token);

        // The served model's own events must have its layers at its sizes (conv1 has 32 values).
        var wrongSize = Event("w-1");
        wrongSize.Header.Model = model.Manifest.Name;
        wrongSize.Header.ModelVersion = model.Manifest.Version;
        await AssertRefusedAsync(http, activations, Body(wrongSize.ToByteArray()), HttpStatusCode.BadRequest, "the model's has", cts.Token);

        var image = Enumerable.Repeat(0.5f, 784).ToArray();
        await AssertRefusedAsync(http, predict, Json(new { streamId = "evil\n", images = new[] { image } }), HttpStatusCode.BadRequest, "streamId", cts.Token);
        await AssertRefusedAsync(http, predict, Json(new { streamId = "s", images = new[] { image, image }, attributes = new Dictionary<string, string?> { ["label"] = null } }), HttpStatusCode.BadRequest, "attributes.label", cts.Token);
        await AssertRefusedAsync(http, predict, Json(new { streamId = "s", images = new[] { image }, attributes = new Dictionary<string, string> { ["note"] = new string('x', 900_000) } }), HttpStatusCode.BadRequest, "attributes.note", cts.Token);
        var manyPixels = "{\"streamId\":\"s\",\"images\":[" + string.Join(',', Enumerable.Repeat("[0]", 4_000_000)) + "]}";
        await AssertRefusedAsync(http, predict, new StringContent(manyPixels, Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, "at most 256", cts.Token);

        // Four 16 MB bodies of empty events at once: refused, and the process does not keep the memory.
        var before = ResidentMegabytes(service.ProcessId);
        var empty = new byte[16 * 1024 * 1024 - 16];
        for (var i = 0; i < empty.Length; i += 2) empty[i] = 0x0A;
        var hostile = Enumerable.Range(0, 4).Select(async _ =>
        {
            using var response = await http.PostAsync(activations, Body(empty, Batch), cts.Token);
            return response.StatusCode;
        });
        Assert.All(await Task.WhenAll(hostile), status => Assert.Equal(HttpStatusCode.BadRequest, status));
        var peak = ResidentMegabytes(service.ProcessId);
        output.WriteLine($"Inference RSS: {before:F0} MB before, {peak:F0} MB after four 16 MB hostile bodies");
        Assert.True(peak - before < 100, $"RSS grew from {before:F0} to {peak:F0} MB");

        // Nothing of the refused requests reached the topic; a good request still does, once.
        using (var response = await http.PostAsync(activations, Body(Event("good-1").ToByteArray()), cts.Token))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var reader = new TopicReader(new KafkaOptions { BootstrapServers = kafka.BootstrapServers, SessionTimeoutMs = 3000, HeartbeatIntervalMs = 500 }, Topics.Activations);
        await reader.WaitForAsync(1, TimeSpan.FromSeconds(30), cts.Token);
        await Task.Delay(1000, cts.Token);
        var published = Assert.Single(reader.Messages);
        Assert.Equal("good-1", ActivationEvent.Parser.ParseFrom(published.Value).Header.EventId);
        Assert.False(service.HasExited);
    }

    [Fact]
    public async Task Ingestion_ApiKeysAndRateLimits_401WithoutKey429OverTheLimitHealthStaysOpen()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic(Topics.Activations, 1);
        const string key = "test-key-0123456789abcdef";
        await using var service = await StartAsync(kafka.BootstrapServers, new Dictionary<string, string>
        {
            ["Authentication__ApiKeys__0"] = key,
            ["RateLimits__RequestsPerSecond"] = "1",
            ["RateLimits__Burst"] = "2",
        }, cts.Token);
        using var http = new HttpClient();
        var activations = new Uri(service.BaseAddress, "/v1/activations");

        using (var response = await http.PostAsync(activations, Body(Event("k-0").ToByteArray()), cts.Token))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using (var request = new HttpRequestMessage(HttpMethod.Post, activations) { Content = Body(Event("k-1").ToByteArray()) })
        {
            request.Headers.Add("X-Api-Key", "wrong-key-0123456789abcdef");
            using var response = await http.SendAsync(request, cts.Token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var response = await http.GetAsync(new Uri(service.BaseAddress, "/metrics"), cts.Token))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using (var response = await http.GetAsync(new Uri(service.BaseAddress, "/health"), cts.Token))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, activations) { Content = Body(Event($"k-{i + 2}").ToByteArray()) };
            if (i % 2 == 0) request.Headers.Add("X-Api-Key", key);
            else request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await http.SendAsync(request, cts.Token);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                Assert.True(response.Headers.RetryAfter is not null, "429 without Retry-After");
        }

        output.WriteLine(string.Join(", ", statuses));
        Assert.Equal(HttpStatusCode.Accepted, statuses[0]);
        Assert.Equal(HttpStatusCode.Accepted, statuses[1]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses.Skip(2));
    }

    [Fact]
    public async Task Predict_BrokerUnreachable_503WithinThePublishTimeoutNot500()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var closedPort = FreePort.Next();
        await using var service = await StartAsync($"127.0.0.1:{closedPort}", new Dictionary<string, string> { ["Inference__PublishTimeout"] = "00:00:02" }, cts.Token);
        using var http = new HttpClient();

        var started = DateTime.UtcNow;
        using var response = await http.PostAsync(new Uri(service.BaseAddress, "/v1/predict"),
            Json(new { streamId = "s", images = new[] { Enumerable.Repeat(0.5f, 784).ToArray() } }), cts.Token);
        var body = await response.Content.ReadAsStringAsync(cts.Token);

        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("did not confirm", body);
        Assert.True(response.Headers.RetryAfter is not null);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(30));
    }

    private async Task<ServiceProcess> StartAsync(string bootstrap, Dictionary<string, string> extra, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = bootstrap,
            ["Inference__ModelDirectory"] = model.Paths.DefaultModelDirectory,
        };
        foreach (var (k, v) in extra) environment[k] = v;
        var service = ServiceProcess.Start("Inference", model.Paths.ServiceDll("Inference"), environment,
            Path.Combine(model.Paths.Artifacts, "test-logs", nameof(IngestionHardeningTests)));
        using var http = new HttpClient();
        await service.WaitHealthyAsync(http, TimeSpan.FromSeconds(60), cancellationToken);
        return service;
    }

    private static JsonContent Json(object value) => JsonContent.Create(value);

    private static double ResidentMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
