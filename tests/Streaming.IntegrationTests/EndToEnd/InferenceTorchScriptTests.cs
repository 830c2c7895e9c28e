using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Streaming.Contracts;
using Streaming.Control.Workshop;
using Streaming.Lab.Data;
using Streaming.Lab.TorchScriptExport;
using Streaming.LocalStack;
using Streaming.LocalStack.Kafka;
using Streaming.LocalStack.Processes;
using Streaming.Messaging;
using Streaming.Ml.Models;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// The inference service as a real process serving a TorchScript file that `control export-torchscript`
/// wrote from the trained small-cnn: libtorch's jit.load, the configured outputs published as layers.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class InferenceTorchScriptTests(TrainedModelFixture model) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("torchscript-").FullName;

    [Fact]
    public async Task Predict_TorchScriptModel_PublishesConfiguredOutputsAsLayers()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var path = await ExportAsync(cts.Token);
        using var kafka = MockKafkaCluster.Start();
        kafka.CreateTopic(Topics.Activations, 1);
        var outputs = TorchScriptExporter.DefaultOutputs(ModelCatalog.SmallCnnName);
        await using var service = StartInference(kafka.BootstrapServers, path, outputs.Select(o => (o.Layer, o.Reduction.ToString())).ToArray(), nameof(Predict_TorchScriptModel_PublishesConfiguredOutputsAsLayers));
        using var http = new HttpClient();
        await service.WaitHealthyAsync(http, TimeSpan.FromSeconds(60), cts.Token);
        var test = MnistDataset.Load(model.Paths.MnistData, MnistSplit.Test, limit: 3);
        var images = Enumerable.Range(0, 3).Select(i => test.Pixels.AsSpan(i * 784, 784).ToArray()).ToArray();

        using var response = await http.PostAsJsonAsync(new Uri(service.BaseAddress, "/v1/predict"), new { streamId = "ts-1", images }, cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cts.Token));
        Assert.Equal("small-cnn-ts", body.RootElement.GetProperty("model").GetString());
        Assert.Equal(test.Labels, body.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("predictedClass").GetInt32()));

        using var reader = new TopicReader(new KafkaOptions { BootstrapServers = kafka.BootstrapServers, SessionTimeoutMs = 3000, HeartbeatIntervalMs = 500 }, Topics.Activations);
        await reader.WaitForAsync(3, TimeSpan.FromSeconds(30), cts.Token);
        foreach (var activation in reader.Messages.Select(m => ActivationEvent.Parser.ParseFrom(m.Value)))
        {
            Assert.Equal("small-cnn-ts", activation.Header.Model);
            Assert.StartsWith("sha256-", activation.Header.ModelVersion);
            Assert.Equal([("logits", 10), ("conv1", 32), ("conv2", 64), ("fc1", 128)], activation.Layers.Select(l => (l.Layer, l.Values.Count)));
        }
    }

    [Fact]
    public async Task Start_TorchScriptWithWrongOutputCount_ExitsNamingTheKey()
    {
        var path = await ExportAsync(CancellationToken.None);
        await using var service = StartInference("127.0.0.1:1", path, [("logits", "Flatten"), ("conv1", "GlobalAveragePool")], nameof(Start_TorchScriptWithWrongOutputCount_ExitsNamingTheKey));

        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.NotEqual(0, exitCode);
        var log = await File.ReadAllTextAsync(service.LogPath);
        Assert.Contains("Inference:TorchScript:Outputs lists 2 output(s)", log);
        Assert.Contains("returned 4 tensor(s)", log);
    }

    [Fact]
    public async Task Start_TorchScriptPathMissing_ExitsNamingTheKey()
    {
        await using var service = StartInference("127.0.0.1:1", "/nonexistent/model.pt", [("logits", "Flatten")], nameof(Start_TorchScriptPathMissing_ExitsNamingTheKey));

        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Inference:TorchScript:Path '/nonexistent/model.pt' does not exist", await File.ReadAllTextAsync(service.LogPath));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Runs the real `control export-torchscript` command on the fixture's trained model folder.</summary>
    private async Task<string> ExportAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_directory, "small-cnn.pt");
        var root = new RootCommand { ExportTorchScriptCommand.Create() };
        var exitCode = await root.Parse(["export-torchscript", "--model-dir", model.Paths.DefaultModelDirectory, "--out", path]).InvokeAsync(cancellationToken: cancellationToken);
        Assert.Equal(0, exitCode);
        Assert.True(File.Exists(path), $"{path} was not written");
        return path;
    }

    private ServiceProcess StartInference(string bootstrap, string path, IReadOnlyList<(string Name, string Reduction)> outputs, string test)
    {
        var environment = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = bootstrap,
            ["Inference__TorchScript__Path"] = path,
            ["Inference__TorchScript__ModelName"] = "small-cnn-ts",
        };
        for (var i = 0; i < outputs.Count; i++)
        {
            environment[$"Inference__TorchScript__Outputs__{i}__Name"] = outputs[i].Name;
            environment[$"Inference__TorchScript__Outputs__{i}__Reduction"] = outputs[i].Reduction;
        }

        return ServiceProcess.Start("Inference", model.Paths.ServiceDll("Inference"), environment,
            Path.Combine(model.Paths.Artifacts, "test-logs", test));
    }
}
