using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Streaming.Contracts;
using Streaming.Lab.Data;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Processes;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>The inference service as a real process: HTTP contract, 400s that say what is wrong, one activation event per image.</summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class InferenceServiceTests(TrainedModelFixture model)
{
    [Fact]
    public async Task Predict_BatchOfImages_AnswersPredictionsAndPublishesOneEventPerImage()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic(Topics.Activations, 2);
        await using var service = StartInference(kafka.BootstrapServers, maxRequestBytes: 200_000);
        using var http = new HttpClient();
        await service.WaitHealthyAsync(http, TimeSpan.FromSeconds(60), cts.Token);
        var test = MnistDataset.Load(model.Paths.MnistData, MnistSplit.Test, limit: 3);
        var images = Enumerable.Range(0, 3).Select(i => test.Pixels.AsSpan(i * 784, 784).ToArray()).ToArray();

        using var response = await http.PostAsJsonAsync(new Uri(service.BaseAddress, "/v1/predict"),
            new { streamId = "cam-7", images, attributes = new Dictionary<string, string> { ["attack"] = "none" } }, cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cts.Token));
        var predictions = body.RootElement.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(3, predictions.Count);
        Assert.Equal(test.Labels, predictions.Select(p => p.GetProperty("predictedClass").GetInt32()));

        using var reader = new TopicReader(new KafkaOptions { BootstrapServers = kafka.BootstrapServers, SessionTimeoutMs = 3000, HeartbeatIntervalMs = 500 }, Topics.Activations);
        await reader.WaitForAsync(3, TimeSpan.FromSeconds(30), cts.Token);
        var events = reader.Messages.Select(m => ActivationEvent.Parser.ParseFrom(m.Value)).ToList();
        Assert.Equal(predictions.Select(p => p.GetProperty("eventId").GetString()).Order(), events.Select(e => e.Header.EventId).Order());
        Assert.All(reader.Messages, m => Assert.Equal("cam-7", Encoding.UTF8.GetString(m.Key)));
        foreach (var activation in events)
        {
            Assert.Equal(SchemaVersions.Current, activation.Header.SchemaVersion);
            Assert.Equal(model.Manifest.Name, activation.Header.Model);
            Assert.Equal(model.Manifest.Version, activation.Header.ModelVersion);
            Assert.Equal("none", activation.Attributes["attack"]);
            Assert.Equal(model.Manifest.Layers.Select(l => (l.Name, l.VectorDim)), activation.Layers.Select(l => (l.Layer, l.Values.Count)));
        }

        foreach (var path in new[] { "/health", "/alive", "/metrics" })
        {
            using var probe = await http.GetAsync(new Uri(service.BaseAddress, path), cts.Token);
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        }
    }

    [Fact]
    public async Task Predict_BadRequests_Get4xxThatSaysWhatIsWrong()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic(Topics.Activations, 1);
        await using var service = StartInference(kafka.BootstrapServers, maxRequestBytes: 200_000);
        using var http = new HttpClient();
        await service.WaitHealthyAsync(http, TimeSpan.FromSeconds(60), cts.Token);
        var predict = new Uri(service.BaseAddress, "/v1/predict");

        await AssertBadRequestAsync(http, predict, new StringContent("{not json", Encoding.UTF8, "application/json"), "not a valid predict request", cts.Token);
        await AssertBadRequestAsync(http, predict, new StringContent("hello", Encoding.UTF8, "text/plain"), "Content-Type must be application/json", cts.Token);
        await AssertBadRequestAsync(http, predict, JsonContent.Create(new { streamId = "s", images = new[] { new float[10] } }), "expected 784 values", cts.Token);
        await AssertBadRequestAsync(http, predict, JsonContent.Create(new { streamId = "s", images = new[] { Enumerable.Repeat(3f, 784).ToArray() } }), "in [0, 1]", cts.Token);
        await AssertBadRequestAsync(http, predict, JsonContent.Create(new { images = new[] { new float[784] } }), "streamId is required", cts.Token);
        var tooLarge = new { streamId = "s", images = Enumerable.Range(0, 60).Select(_ => Enumerable.Repeat(0.123456f, 784).ToArray()).ToArray() };
        // Twice: streamed (chunked, the limit found while reading) and with a declared Content-Length (refused before reading);
        // both times the client, which sends the whole body before reading, must get the 413 rather than a reset connection.
        await AssertBadRequestAsync(http, predict, JsonContent.Create(tooLarge), "bytes", cts.Token, HttpStatusCode.RequestEntityTooLarge);
        var tooLargeDeclared = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(tooLarge, JsonSerializerOptions.Web));
        tooLargeDeclared.Headers.ContentType = new("application/json");
        await AssertBadRequestAsync(http, predict, tooLargeDeclared, "bytes", cts.Token, HttpStatusCode.RequestEntityTooLarge);

        // The service is still up and answers a good request after all of that.
        using var ok = await http.PostAsJsonAsync(predict, new { streamId = "s", images = new[] { new float[784] } }, cts.Token);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Start_MissingModelDirectory_ExitsNamingTheKey()
    {
        var paths = model.Paths;
        await using var service = ServiceProcess.Start("Inference", paths.ServiceDll("Inference"),
            new Dictionary<string, string> { ["Kafka__BootstrapServers"] = "127.0.0.1:1", ["Inference__ModelDirectory"] = "/nonexistent/model" },
            Path.Combine(paths.Artifacts, "test-logs", nameof(Start_MissingModelDirectory_ExitsNamingTheKey)));

        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Inference:ModelDirectory", await File.ReadAllTextAsync(service.LogPath));
    }

    [Fact]
    public async Task Start_DetectorWithMissingReference_ExitsNamingTheKey()
    {
        var paths = model.Paths;
        await using var service = ServiceProcess.Start("Detector", paths.ServiceDll("Detector"),
            new Dictionary<string, string>
            {
                ["Kafka__BootstrapServers"] = "127.0.0.1:1",
                ["Redis__ConnectionString"] = "127.0.0.1:1",
                ["Detector__ReferencePath"] = "/nonexistent/reference.bin",
            },
            Path.Combine(paths.Artifacts, "test-logs", nameof(Start_DetectorWithMissingReference_ExitsNamingTheKey)));

        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Detector:ReferencePath", await File.ReadAllTextAsync(service.LogPath));
    }

    private ServiceProcess StartInference(string bootstrap, int maxRequestBytes) =>
        ServiceProcess.Start("Inference", model.Paths.ServiceDll("Inference"),
            new Dictionary<string, string>
            {
                ["Kafka__BootstrapServers"] = bootstrap,
                ["Inference__ModelDirectory"] = model.Paths.DefaultModelDirectory,
                ["Inference__MaxRequestBytes"] = maxRequestBytes.ToString(),
            },
            Path.Combine(model.Paths.Artifacts, "test-logs", nameof(InferenceServiceTests)));

    private static async Task AssertBadRequestAsync(
        HttpClient http, Uri uri, HttpContent content, string expected, CancellationToken cancellationToken, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        using (content)
        {
            using var response = await http.PostAsync(uri, content, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
            Assert.Contains(expected, body);
        }
    }
}
