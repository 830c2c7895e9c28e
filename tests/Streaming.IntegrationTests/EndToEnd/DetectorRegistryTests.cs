using StackExchange.Redis;
using Streaming.Contracts;
using Streaming.Detection.WindowTest;
using Streaming.IntegrationTests.Alerting;
using Streaming.IntegrationTests.ReferenceRegistry;
using Streaming.ReferenceRegistry;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// The Detector in registry mode (Detector:ReferenceSource registry) as a real process with
/// Windowing on embedded Kafka and a real redis-server: it serves every active reference, names the
/// one each window was tested against, picks activations and retirements up without a restart,
/// reports windows without a reference as uncalibrated (no dead letters), falls back to the newest
/// version when told to, and keeps serving the others when one reference cannot be loaded.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class DetectorRegistryTests
{
    private const int Size = 50;

    private static readonly Dictionary<string, string> RegistrySettings = new()
    {
        ["Detector__ReferenceSource"] = "registry",
        ["Detector__Registry__PollInterval"] = "00:00:00.200",
        ["WindowStore__Size"] = Size.ToString(),
        ["WindowStore__Slide"] = Size.ToString(),
        ["WindowStore__ModelWide__Enabled"] = "false",
    };

    [Fact]
    public async Task RegistryMode_ActivationsAndRetirements_SwitchTheTestsWithoutRestartAndNameTheReference()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var pipeline = await ServicePipeline.StartAsync(nameof(RegistryMode_ActivationsAndRetirements_SwitchTheTestsWithoutRestartAndNameTheReference), RegistrySettings, ct);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(pipeline.RedisConnectionString);
        var store = new ReferenceRegistryStore(redis);
        using var detections = new TopicReader(pipeline.Options, Topics.Detections);
        using var alerts = new TopicReader(pipeline.Options, Topics.Alerts);
        using var deadLetters = new TopicReader(pipeline.Options, Topics.DeadLetterOf(Topics.Windows));
        var v1 = await store.ActivateAsync((await store.PublishAsync(SyntheticReferences.Bytes("synthetic", "v1", seed: 5), "test")).Id, ct);
        await WaitUntilReadAsync(pipeline, store, ct);
        var random = new Random(3);

        // Phase 1: v1 has an active reference, v2 none.
        pipeline.Produce(Events("attacked-v1", "v1", 0, 0.5f, random).Concat(Events("clean-v1", "v1", 0, 0f, random)).Concat(Events("clean-v2", "v2", 0, 0f, random)));
        await detections.WaitForAsync(3, TimeSpan.FromSeconds(90), ct);
        await alerts.WaitForAsync(1, TimeSpan.FromSeconds(10), ct);
        var phase1 = Results(detections);
        Assert.All(phase1.Where(d => d.Header.ModelVersion == "v1"), d => Assert.Equal((DetectionStatus.Tested, v1.Id), (d.Status, d.ReferenceId)));
        Assert.True(phase1.Single(d => d.Header.StreamId == "attacked-v1").Alert);
        Assert.False(phase1.Single(d => d.Header.StreamId == "clean-v1").Alert);
        var uncalibrated = phase1.Single(d => d.Header.StreamId == "clean-v2");
        Assert.Equal((DetectionStatus.Uncalibrated, "", false, (uint)Size), (uncalibrated.Status, uncalibrated.ReferenceId, uncalibrated.Alert, uncalibrated.WindowSize));
        Assert.Equal(v1.Id, Alert.Parser.ParseFrom(Assert.Single(alerts.Messages).Value).ReferenceId);

        // Phase 2: a reference for v2 is activated and v1's retired while the Detector runs.
        var v2 = await store.ActivateAsync((await store.PublishAsync(SyntheticReferences.Bytes("synthetic", "v2", seed: 6), "test")).Id, ct);
        await store.RetireAsync(v1.Id, ct);
        await WaitUntilReadAsync(pipeline, store, ct);
        pipeline.Produce(Events("clean-v2", "v2", Size, 0f, random).Concat(Events("clean-v1", "v1", Size, 0f, random)));
        await detections.WaitForAsync(5, TimeSpan.FromSeconds(60), ct);
        var phase2 = Results(detections).Except(phase1).ToList();
        var tested = phase2.Single(d => d.Header.StreamId == "clean-v2");
        Assert.Equal((DetectionStatus.Tested, v2.Id, false), (tested.Status, tested.ReferenceId, tested.ReferenceFallback));
        Assert.Equal(DetectionStatus.Uncalibrated, phase2.Single(d => d.Header.StreamId == "clean-v1").Status);

        // Windows without a reference are reported, never dead-lettered; the Detector still runs.
        Assert.Empty(deadLetters.Messages);
        Assert.False(pipeline.Detector.HasExited);
        const string Uncalibrated = "window(s) of model synthetic version v2 not tested, status uncalibrated";
        Assert.True(await Eventually.WaitUntilAsync(() => File.ReadAllText(pipeline.Detector.LogPath).Contains(Uncalibrated, StringComparison.Ordinal), TimeSpan.FromSeconds(15), ct),
            $"'{Uncalibrated}' never logged; see {pipeline.Detector.LogPath}");
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(pipeline.Detector.BaseAddress, "/metrics"), ct);
        Assert.Matches(@"streaming_detector_windows_uncalibrated_total\{[^}]*model=""synthetic""[^}]*model_version=""v2""[^}]*status=""uncalibrated""[^}]*\} 1(\s|$)", metrics);
        Assert.Matches(@"streaming_detector_windows_uncalibrated_total\{[^}]*model_version=""v1""[^}]*status=""uncalibrated""[^}]*\} 1(\s|$)", metrics);
    }

    [Fact]
    public async Task RegistryMode_FallbackAndAReferenceThatFailsToLoad_OthersKeepWorking()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        var settings = new Dictionary<string, string>(RegistrySettings) { ["Detector__Registry__VersionFallback"] = "true" };
        await using var pipeline = await ServicePipeline.StartAsync(nameof(RegistryMode_FallbackAndAReferenceThatFailsToLoad_OthersKeepWorking), settings, ct);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(pipeline.RedisConnectionString);
        var store = new ReferenceRegistryStore(redis);
        using var detections = new TopicReader(pipeline.Options, Topics.Detections);
        using var alerts = new TopicReader(pipeline.Options, Topics.Alerts);
        var v1 = await store.ActivateAsync((await store.PublishAsync(SyntheticReferences.Bytes("synthetic", "v1", seed: 5), "test")).Id, ct);
        var broken = await store.ActivateAsync((await store.PublishAsync(SyntheticReferences.Bytes("other", "v1", seed: 7), "test")).Id, ct);
        await redis.GetDatabase().StringSetAsync(store.Keys.Data(broken.Id), SyntheticReferences.Bytes("other", "v1", seed: 8));
        await WaitUntilReadAsync(pipeline, store, ct);
        var random = new Random(4);

        pipeline.Produce(Events("other-model", "v1", 0, 0f, random, model: "other")
            .Concat(Events("attacked-v3", "v3", 0, 0.5f, random))
            .Concat(Events("clean-v1", "v1", 0, 0f, random)));
        await detections.WaitForAsync(3, TimeSpan.FromSeconds(90), ct);
        await alerts.WaitForAsync(1, TimeSpan.FromSeconds(10), ct);

        var results = Results(detections);
        Assert.Equal((DetectionStatus.ReferenceUnavailable, ""), results.Single(d => d.Header.StreamId == "other-model") is var o ? (o.Status, o.ReferenceId) : default);
        var fallback = results.Single(d => d.Header.StreamId == "attacked-v3");
        Assert.Equal((DetectionStatus.Tested, v1.Id, true, true), (fallback.Status, fallback.ReferenceId, fallback.ReferenceFallback, fallback.Alert));
        var own = results.Single(d => d.Header.StreamId == "clean-v1");
        Assert.Equal((DetectionStatus.Tested, v1.Id, false), (own.Status, own.ReferenceId, own.ReferenceFallback));
        var alert = Alert.Parser.ParseFrom(Assert.Single(alerts.Messages).Value);
        Assert.Equal((v1.Id, true), (alert.ReferenceId, alert.ReferenceFallback));
        // The log reaches its file after the detection reaches Kafka (the console logger writes from its own queue).
        var loadFailure = $"Reference {broken.Id} cannot be loaded";
        Assert.True(await Eventually.WaitUntilAsync(() => File.ReadAllText(pipeline.Detector.LogPath).Contains(loadFailure, StringComparison.Ordinal), TimeSpan.FromSeconds(15), ct),
            $"'{loadFailure}' never logged; see {pipeline.Detector.LogPath}");
        Assert.Contains("checksum", await File.ReadAllTextAsync(pipeline.Detector.LogPath, ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistryMode_ReferenceActivatedWhileTrafficFlows_SwitchesWithinSecondsAndLosesNoWindow()
    {
        const int Windows = 12;
        const int ActivateAfter = 5;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var pipeline = await ServicePipeline.StartAsync(nameof(RegistryMode_ReferenceActivatedWhileTrafficFlows_SwitchesWithinSecondsAndLosesNoWindow), RegistrySettings, ct);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(pipeline.RedisConnectionString);
        var store = new ReferenceRegistryStore(redis);
        using var detections = new TopicReader(pipeline.Options, Topics.Detections);
        var first = await store.ActivateAsync((await store.PublishAsync(SyntheticReferences.Bytes("synthetic", "v1", seed: 5), "test")).Id, ct);
        var second = await store.PublishAsync(SyntheticReferences.Bytes("synthetic", "v1", seed: 6), "test", cancellationToken: ct);
        await WaitUntilReadAsync(pipeline, store, ct);
        var random = new Random(5);
        var activatedAt = DateTimeOffset.MinValue;

        for (var w = 0; w < Windows; w++)
        {
            if (w == ActivateAfter)
            {
                // The windows before are all tested against the first reference; traffic keeps flowing after.
                await detections.WaitForAsync(ActivateAfter, TimeSpan.FromSeconds(90), ct);
                await store.ActivateAsync(second.Id, ct);
                activatedAt = DateTimeOffset.UtcNow;
            }
            pipeline.Produce(Events("flow", "v1", w * Size, 0f, random));
            await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
        }
        await detections.WaitForAsync(Windows, TimeSpan.FromSeconds(90), ct);

        var results = Results(detections).OrderBy(d => d.Header.Timestamp.ToDateTimeOffset()).ToList();
        Assert.Equal(Windows, results.Count);
        Assert.All(results, d => Assert.Equal(DetectionStatus.Tested, d.Status));
        Assert.All(results.Take(ActivateAfter), d => Assert.Equal(first.Id, d.ReferenceId));
        var switchedAt = results.FindIndex(d => d.ReferenceId == second.Id);
        Assert.True(switchedAt >= ActivateAfter, $"switched at window {switchedAt}");
        Assert.All(results.Skip(switchedAt), d => Assert.Equal(second.Id, d.ReferenceId));
        var seconds = (results[switchedAt].Header.Timestamp.ToDateTimeOffset() - activatedAt).TotalSeconds;
        System.Console.WriteLine($"First detection against the new reference {seconds:F2} s after its activation (window {switchedAt} of {Windows}; activated before window {ActivateAfter}).");
        Assert.True(seconds < 5, $"the switch took {seconds:F2} s");
    }

    [Fact]
    public async Task RegistryMode_TwoModelsOverACacheSmallerThanBoth_BothAreTestedAndEachAlertsOnItsOwn()
    {
        const int Dimension = 512;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        // Each reference holds 300 x 512 float32 (600 KiB): two do not fit in 1 MiB, so they evict each other.
        var settings = new Dictionary<string, string>(RegistrySettings) { ["Detector__Registry__CacheMegabytes"] = "1" };
        await using var pipeline = await ServicePipeline.StartAsync(nameof(RegistryMode_TwoModelsOverACacheSmallerThanBoth_BothAreTestedAndEachAlertsOnItsOwn), settings, ct);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(pipeline.RedisConnectionString);
        var store = new ReferenceRegistryStore(redis);
        using var detections = new TopicReader(pipeline.Options, Topics.Detections);
        using var alerts = new TopicReader(pipeline.Options, Topics.Alerts);
        var cnn = await store.ActivateAsync((await store.PublishAsync(SyntheticReferences.Bytes("cnn", "1", seed: 1, dimension: Dimension), "test")).Id, ct);
        var resnet = await store.ActivateAsync((await store.PublishAsync(SyntheticReferences.Bytes("resnet", "1", seed: 2, dimension: Dimension, layer: "pool"), "test")).Id, ct);
        await WaitUntilReadAsync(pipeline, store, ct);
        var random = new Random(6);

        for (var w = 0; w < 2; w++)
        {
            pipeline.Produce(Wide("cnn", "fc1", "cnn-attacked", w, 0.5f, random, Dimension));
            pipeline.Produce(Wide("resnet", "pool", "resnet-attacked", w, 0.5f, random, Dimension));
        }
        await detections.WaitForAsync(4, TimeSpan.FromSeconds(90), ct);
        await alerts.WaitForAsync(4, TimeSpan.FromSeconds(10), ct);

        var results = Results(detections);
        Assert.Equal(4, results.Count);
        Assert.All(results, d => Assert.Equal((DetectionStatus.Tested, true), (d.Status, d.Alert)));
        Assert.Equal(2, results.Count(d => d.Header.Model == "cnn" && d.ReferenceId == cnn.Id));
        Assert.Equal(2, results.Count(d => d.Header.Model == "resnet" && d.ReferenceId == resnet.Id));
        var raised = alerts.Messages.Select(m => Alert.Parser.ParseFrom(m.Value)).ToList();
        Assert.Equal(2, raised.Count(a => a.Header.Model == "cnn" && a.ReferenceId == cnn.Id));
        Assert.Equal(2, raised.Count(a => a.Header.Model == "resnet" && a.ReferenceId == resnet.Id));
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(pipeline.Detector.BaseAddress, "/metrics"), ct);
        Assert.Matches(@"streaming_detector_references_evicted_total\{[^}]*reason=""memory""[^}]*\} [1-9]", metrics);
    }

    private static IEnumerable<ActivationEvent> Wide(string model, string layer, string stream, int window, float shift, Random random, int dimension)
    {
        for (var i = window * Size; i < (window + 1) * Size; i++)
        {
            var activation = SyntheticActivations.Create(model, stream, i, random, shift);
            activation.Header.ModelVersion = "1";
            activation.Layers.Clear();
            var values = new LayerActivation { Layer = layer };
            for (var d = 0; d < dimension; d++)
                values.Values.Add((float)random.NextDouble() + shift);
            activation.Layers.Add(values);
            yield return activation;
        }
    }

    /// <summary>
    /// Waits until the Detector has read the registry's current version (its log names it; it polls
    /// every 200 ms here), so the windows produced next meet the references just set up.
    /// </summary>
    internal static async Task WaitUntilReadAsync(ServicePipeline pipeline, ReferenceRegistryStore store, CancellationToken ct)
    {
        var expected = $"Reference registry version {await store.VersionAsync(ct)}:";
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(File.Exists(pipeline.Detector.LogPath) && (await File.ReadAllTextAsync(pipeline.Detector.LogPath, ct)).Contains(expected, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The Detector did not log '{expected}' within 10 s.");
            await Task.Delay(50, ct);
        }
    }

    private static List<DetectionResult> Results(TopicReader detections) =>
        [.. detections.Messages.Select(m => DetectionResult.Parser.ParseFrom(m.Value)).GroupBy(d => d.WindowId).Select(g => g.First())];

    private static IEnumerable<ActivationEvent> Events(string stream, string version, int first, float shift, Random random, string model = "synthetic")
    {
        for (var i = first; i < first + Size; i++)
        {
            var activation = SyntheticActivations.Create(model, stream, i, random, shift);
            activation.Header.ModelVersion = version;
            yield return activation;
        }
    }
}
