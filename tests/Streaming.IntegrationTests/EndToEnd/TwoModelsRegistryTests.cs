using StackExchange.Redis;
using Streaming.Contracts;
using Streaming.Control.Demo;
using Streaming.Control.Workshop;
using Streaming.Detection.WindowTest;
using Streaming.Lab.Data;
using Streaming.ReferenceRegistry;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// Two real models at once: small-cnn on MNIST and resnet-small on Fashion-MNIST, each behind an Inference
/// process of its own, one Windowing and one Detector in registry mode serving both models' references from
/// a real redis-server, on embedded Kafka. Clean and FGSM traffic of each model through its HTTP endpoint;
/// then a new reference of one model is published and activated while both models' traffic flows.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class TwoModelsRegistryTests(TrainedModelFixture cnn, FashionModelFixture fashion) : IClassFixture<FashionModelFixture>, IDisposable
{
    private const int Size = 50;
    private const int ReferenceCount = 500;
    private const int CalibrationCount = 500;
    private const int CleanImages = 4 * Size;
    private const int AttackImages = 2 * Size;
    private const int FlowWindows = 12;
    private const int ActivateAfter = 5;

    private readonly string _directory = Directory.CreateTempSubdirectory("two-models-").FullName;

    [Fact]
    public async Task RegistryMode_TwoRealModels_AttacksAlertPerModelAndANewReferenceSwitchesOnlyItsModelWithoutLosingAWindow()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = cts.Token;
        var small = Prepare(cnn.Paths.DefaultModelDirectory, ImageDatasets.Mnist, seed: 1);
        var resnet = Prepare(fashion.Model.Directory, ImageDatasets.FashionMnist, seed: 1);
        var replacement = Path.Combine(_directory, "small-cnn-seed-2.ref");
        CleanSample.Draw(small.TestCount, ReferenceCount, CalibrationCount, 2, ImageDatasets.Mnist)
            .EnsureReference(cnn.Paths.DefaultModelDirectory, ImageDatasets.Load(ImageDatasets.Mnist, cnn.Paths.Root, MnistSplit.Test), replacement);
        var settings = new Dictionary<string, string>
        {
            ["Detector__ReferenceSource"] = "registry",
            ["Detector__Registry__PollInterval"] = "00:00:00.200",
            ["WindowStore__Size"] = Size.ToString(),
            ["WindowStore__Slide"] = Size.ToString(),
            ["WindowStore__ModelWide__Enabled"] = "false",
            // Two Inference processes and the Detector share two cores.
            ["OMP_NUM_THREADS"] = "1",
        };
        await using var pipeline = await ServicePipeline.StartAsync(nameof(RegistryMode_TwoRealModels_AttacksAlertPerModelAndANewReferenceSwitchesOnlyItsModelWithoutLosingAWindow), settings, ct);
        var cnnInference = await pipeline.StartExtraAsync("Inference", new Dictionary<string, string> { ["Inference__ModelDirectory"] = cnn.Paths.DefaultModelDirectory }, ct);
        var resnetInference = await pipeline.StartExtraAsync("Inference", new Dictionary<string, string> { ["Inference__ModelDirectory"] = fashion.Model.Directory }, ct);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(pipeline.RedisConnectionString);
        var store = new ReferenceRegistryStore(redis);
        var cnnReference = await store.ActivateAsync((await store.PublishAsync(await File.ReadAllBytesAsync(small.ReferencePath, ct), "test", cancellationToken: ct)).Id, ct);
        var resnetReference = await store.ActivateAsync((await store.PublishAsync(await File.ReadAllBytesAsync(resnet.ReferencePath, ct), "test", cancellationToken: ct)).Id, ct);
        await DetectorRegistryTests.WaitUntilReadAsync(pipeline, store, ct);
        using var detections = new TopicReader(pipeline.Options, Topics.Detections);
        using var alerts = new TopicReader(pipeline.Options, Topics.Alerts);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var cnnSender = new TrafficSender(http, cnnInference.BaseAddress);
        var resnetSender = new TrafficSender(http, resnetInference.BaseAddress);

        // Phase 1: each model's clean and FGSM traffic, side by side.
        await Task.WhenAll(SendPhasesAsync(cnnSender, "cnn", small, ct), SendPhasesAsync(resnetSender, "fashion", resnet, ct));
        await WaitForWindowsAsync(detections, 2 * (CleanImages + AttackImages) / Size, ct);
        var phase1 = Results(detections);
        Assert.All(phase1, d => Assert.Equal(DetectionStatus.Tested, d.Status));
        Assert.All(phase1.Where(d => d.Header.Model == "small-cnn"), d => Assert.Equal(cnnReference.Id, d.ReferenceId));
        Assert.All(phase1.Where(d => d.Header.Model == "resnet-small"), d => Assert.Equal(resnetReference.Id, d.ReferenceId));
        foreach (var (model, prefix) in new[] { ("small-cnn", "cnn"), ("resnet-small", "fashion") })
        {
            var attacked = phase1.Where(d => d.Header.Model == model && d.Header.StreamId == $"{prefix}-attack").ToList();
            Assert.Equal(AttackImages / Size, attacked.Count);
            Assert.All(attacked, d => Assert.True(d.Alert, $"{model}: attacked window {d.WindowId} did not alert (combined p {d.CombinedPValue})"));
            Assert.Equal(CleanImages / Size, phase1.Count(d => d.Header.Model == model && d.Header.StreamId == $"{prefix}-clean"));
        }
        // Clean windows fail at about alpha (5%, Bonferroni over the layers is conservative): 3 of 8 would be far above it.
        var cleanAlerts = phase1.Count(d => d.Header.StreamId.EndsWith("-clean", StringComparison.Ordinal) && d.Alert);
        Assert.True(cleanAlerts <= 2, $"{cleanAlerts} of 8 clean windows alerted");
        await alerts.WaitForAsync(2 * AttackImages / Size, TimeSpan.FromSeconds(30), ct);
        var raised = alerts.Messages.Select(m => Alert.Parser.ParseFrom(m.Value)).ToList();
        Assert.Equal(AttackImages / Size, raised.Count(a => a.Header.Model == "small-cnn" && a.Header.StreamId == "cnn-attack" && a.ReferenceId == cnnReference.Id));
        Assert.Equal(AttackImages / Size, raised.Count(a => a.Header.Model == "resnet-small" && a.Header.StreamId == "fashion-attack" && a.ReferenceId == resnetReference.Id));

        // Phase 2: both models' clean traffic flows; a new small-cnn reference is published and activated halfway.
        var seen = phase1.Count;
        var activatedAt = DateTimeOffset.MinValue;
        ReferenceMetadata? switched = null;
        Task<DateTimeOffset>? read = null;
        for (var w = 0; w < FlowWindows; w++)
        {
            if (w == ActivateAfter)
            {
                // The windows before are all tested against the first reference; traffic keeps flowing after.
                await WaitForWindowsAsync(detections, seen + (2 * ActivateAfter), ct);
                switched = await store.PublishAsync(await File.ReadAllBytesAsync(replacement, ct), "test", cancellationToken: ct);
                await store.ActivateAsync(switched.Id, ct);
                activatedAt = DateTimeOffset.UtcNow;
                // When the Detector has read the registry's new version (its log says so), while traffic goes on.
                read = Task.Run(async () =>
                {
                    await DetectorRegistryTests.WaitUntilReadAsync(pipeline, store, ct);
                    return DateTimeOffset.UtcNow;
                }, ct);
            }
            await Task.WhenAll(
                cnnSender.SendAsync("cnn-flow", small.Flow(w), Size, Size, new Dictionary<string, string>(), null, ct),
                resnetSender.SendAsync("fashion-flow", resnet.Flow(w), Size, Size, new Dictionary<string, string>(), null, ct));
            await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
        }
        await WaitForWindowsAsync(detections, seen + (2 * FlowWindows), ct);

        var flow = Results(detections).Except(phase1).OrderBy(d => d.Header.Timestamp.ToDateTimeOffset()).ToList();
        var cnnFlow = flow.Where(d => d.Header.StreamId == "cnn-flow").ToList();
        var resnetFlow = flow.Where(d => d.Header.StreamId == "fashion-flow").ToList();
        // No window lost: every window of each model's flow was tested, against a reference.
        Assert.Equal((FlowWindows, FlowWindows), (cnnFlow.Count, resnetFlow.Count));
        Assert.All(flow, d => Assert.Equal(DetectionStatus.Tested, d.Status));
        Assert.NotEqual(cnnReference.Id, switched!.Id);
        Assert.All(cnnFlow.Take(ActivateAfter), d => Assert.Equal(cnnReference.Id, d.ReferenceId));
        var switchedAt = cnnFlow.FindIndex(d => d.ReferenceId == switched.Id);
        Assert.True(switchedAt >= ActivateAfter, $"small-cnn switched at window {switchedAt}");
        Assert.All(cnnFlow.Skip(switchedAt), d => Assert.Equal(switched.Id, d.ReferenceId));
        // Within seconds: the Detector reads the activation (it polls every 200 ms), and every window it tests from
        // then on (a second of margin for the log line and this test's polling of it) is tested against the new reference.
        var readAt = await read!;
        var seconds = (readAt - activatedAt).TotalSeconds;
        var firstNew = (cnnFlow[switchedAt].Header.Timestamp.ToDateTimeOffset() - activatedAt).TotalSeconds;
        System.Console.WriteLine($"small-cnn: activation read by the Detector {seconds:F2} s after it; first detection against the new reference {firstNew:F2} s after it (window {switchedAt} of {FlowWindows}; activated before window {ActivateAfter}).");
        Assert.True(seconds < 5, $"the Detector read the activation {seconds:F2} s after it");
        var testedAfterRead = cnnFlow.Where(d => d.Header.Timestamp.ToDateTimeOffset() > readAt.AddSeconds(1)).ToList();
        Assert.NotEmpty(testedAfterRead);
        Assert.All(testedAfterRead, d => Assert.Equal(switched.Id, d.ReferenceId));
        // The other model's windows keep their own reference throughout.
        Assert.All(resnetFlow, d => Assert.Equal(resnetReference.Id, d.ReferenceId));
        Assert.False(pipeline.Detector.HasExited);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task SendPhasesAsync(TrafficSender sender, string prefix, ModelTraffic model, CancellationToken ct)
    {
        await sender.SendAsync($"{prefix}-clean", model.Clean, CleanImages, Size, new Dictionary<string, string> { ["attack"] = "none" }, null, ct);
        await sender.SendAsync($"{prefix}-attack", model.Attack, AttackImages, Size, new Dictionary<string, string> { ["attack"] = "fgsm" }, null, ct);
    }

    private static async Task WaitForWindowsAsync(TopicReader detections, int windows, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (Results(detections).Count < windows)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{Results(detections).Count} of {windows} windows tested within 120 s.");
            await Task.Delay(100, ct);
        }
    }

    private static List<DetectionResult> Results(TopicReader detections) =>
        [.. detections.Messages.Select(m => DetectionResult.Parser.ParseFrom(m.Value)).GroupBy(d => d.WindowId).Select(g => g.First())];

    /// <summary>
    /// The model's reference (a seeded sample of its test split, <see cref="CleanSample"/>) written here, and its
    /// traffic from outside the sample: clean images, FGSM images made from the next ones, and the flow's.
    /// </summary>
    private ModelTraffic Prepare(string modelDirectory, string dataset, ulong seed)
    {
        var test = ImageDatasets.Load(dataset, cnn.Paths.Root, MnistSplit.Test);
        var sample = CleanSample.Draw(test.Count, ReferenceCount, CalibrationCount, seed, dataset);
        var referencePath = Path.Combine(_directory, $"{dataset}.ref");
        sample.EnsureReference(modelDirectory, test, referencePath);
        var traffic = sample.TrafficImages(test, CleanImages + AttackImages + (FlowWindows * Size));
        var (attack, _) = ModelCache.Attack(modelDirectory, traffic, CleanImages, AttackImages, "fgsm", 0.3);
        return new ModelTraffic(test.Count, referencePath, traffic.Pixels[..(CleanImages * MnistDataset.PixelsPerImage)], attack, traffic.Pixels[((CleanImages + AttackImages) * MnistDataset.PixelsPerImage)..]);
    }

    private sealed record ModelTraffic(int TestCount, string ReferencePath, float[] Clean, float[] Attack, float[] FlowPixels)
    {
        public float[] Flow(int window) => FlowPixels[(window * Size * MnistDataset.PixelsPerImage)..((window + 1) * Size * MnistDataset.PixelsPerImage)];
    }
}
