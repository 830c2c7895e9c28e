using System.Text.RegularExpressions;
using Streaming.IntegrationTests.EndToEnd;
using Streaming.LocalStack.Servers;
using Streaming.Ml.Persistence;

namespace Streaming.IntegrationTests.Control;

/// <summary>
/// `control calibrate --publish --activate` as a user runs it, with the trained models (small-cnn on MNIST,
/// resnet-small on Fashion-MNIST), into a real redis-server; then `control references list | show | export`.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class CalibratePublishCommandTests(TrainedModelFixture cnn, FashionModelFixture fashion) : IClassFixture<FashionModelFixture>, IDisposable
{
    private const int Count = 300;
    private const int CalibrationCount = 200;

    private readonly string _directory = Directory.CreateTempSubdirectory("calibrate-publish-").FullName;

    [Fact]
    public async Task CalibratePublishActivate_TwoTrainedModels_ListAndShowEachActiveWithItsLayersAndDimensions()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var redis = await RedisServerProcess.StartAsync(cts.Token);
        string[] registry = ["--redis", redis.ConnectionString, "--prefix", "calibrated:"];

        var models = new[] { (Directory: cnn.Paths.DefaultModelDirectory, Manifest: cnn.Manifest), (fashion.Model.Directory, fashion.Manifest) };
        var published = new List<(string Id, ModelManifest Manifest, string File)>();
        foreach (var (directory, manifest) in models)
        {
            var file = Path.Combine(_directory, $"{manifest.Name}.ref");
            var run = await ControlProcess.RunAsync(TimeSpan.FromMinutes(2),
                ["calibrate", "--model", directory, "--count", $"{Count}", "--calibration-count", $"{CalibrationCount}", "--out", file, "--publish", "--activate", .. registry]);
            Assert.True(run.ExitCode == 0, run.ToString());
            var line = Assert.Single(run.StandardOutput.Split('\n'), l => l.StartsWith("Published ", StringComparison.Ordinal));
            Assert.Matches($@"^Published {Regex.Escape(manifest.Name)}/{Regex.Escape(manifest.Version)}/[0-9a-f]{{12}} \(active\)$", line.TrimEnd());
            published.Add((line.Split(' ')[1], manifest, file));
        }

        var list = await Run(["references", "list", .. registry]);
        Assert.Contains("2 reference(s), 2 active.", list.StandardOutput, StringComparison.Ordinal);
        foreach (var (id, manifest, file) in published)
        {
            // The layers the model's Inference captures, with their dimensions, and the seeded sample of its own data set.
            var layers = string.Join(',', manifest.Layers.Select(l => $"{l.Name}:{l.VectorDim}"));
            var source = $"{manifest.Dataset} test images [0, 10000), seeded shuffle (seed 1): {Count} reference + {CalibrationCount} calibration";
            Assert.Matches($@"{Regex.Escape(id)}\s+active\s+\S+ \S+\s+{Count}\s+{Regex.Escape(layers)}\s+{Regex.Escape(source)}", list.StandardOutput);

            var show = await Run(["references", "show", id, .. registry]);
            Assert.Contains($"model: {manifest.Name}\n", show.StandardOutput, StringComparison.Ordinal);
            Assert.Contains($"version: {manifest.Version}\n", show.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("state: active\n", show.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("calibration split: yes\n", show.StandardOutput, StringComparison.Ordinal);
            foreach (var layer in manifest.Layers)
                Assert.Contains($"layer: {layer.Name} {Count}x{layer.VectorDim} bandwidth ", show.StandardOutput, StringComparison.Ordinal);

            // The registry holds exactly the file calibrate wrote.
            var exported = Path.Combine(_directory, $"{manifest.Name}-exported.ref");
            await Run(["references", "export", id, "--out", exported, .. registry]);
            Assert.Equal(await File.ReadAllBytesAsync(file, cts.Token), await File.ReadAllBytesAsync(exported, cts.Token));
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<ControlRun> Run(string[] arguments)
    {
        var run = await ControlProcess.RunAsync(arguments);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }
}
