using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Detection;
using Streaming.Detection.WindowTest;
using Streaming.Messaging;
using Streaming.UnitTests.Detection;

namespace Streaming.UnitTests.Detection.Windows;

/// <summary>The real runner (reference file on disk, TorchSharp on the CPU) on windows that carry junk events.</summary>
public sealed class WindowTestRunnerTests : IDisposable
{
    private const int Conv = 32;
    private const int Fc = 16;
    private readonly string _reference = Path.Combine(Path.GetTempPath(), $"runner-{Guid.NewGuid():N}.ref");
    private readonly WindowTestRunner _runner;

    public WindowTestRunnerTests()
    {
        ReferenceFile.Save(_reference, ReferenceCalibrator.Create("m", "v1",
            new Dictionary<string, float[][]> { ["conv1"] = Gaussian.Samples(300, Conv, 1), ["fc1"] = Gaussian.Samples(300, Fc, 2) }, TimeProvider.System));
        _runner = new WindowTestRunner(Options.Create(new DetectorOptions { ReferencePath = _reference, Device = "cpu", Permutations = 200 }), NullLogger<WindowTestRunner>.Instance);
    }

    public void Dispose()
    {
        _runner.Dispose();
        File.Delete(_reference);
    }

    private static readonly WindowReady Ready = new()
    {
        Header = new EventHeader { EventId = "w", Model = "m", ModelVersion = "v1", StreamId = "s" },
        WindowId = "m/s/1",
    };

    private static ActivationEvent Event(string id, float[] conv1, float[] fc1, string model = "m", string version = "v1")
    {
        var activation = new ActivationEvent { Header = new EventHeader { EventId = id, Model = model, ModelVersion = version, StreamId = "s" } };
        activation.Layers.Add(new LayerActivation { Layer = "conv1", Values = { conv1 } });
        activation.Layers.Add(new LayerActivation { Layer = "fc1", Values = { fc1 } });
        return activation;
    }

    /// <summary>100 events; fc1 shifted by <paramref name="fcShift"/> (an attack moves the deep layer).</summary>
    private static List<ActivationEvent> Events(int seed, float fcShift)
    {
        var conv = Gaussian.Samples(100, Conv, seed);
        var fc = Gaussian.Samples(100, Fc, seed + 1, fcShift);
        return [.. Enumerable.Range(0, 100).Select(i => Event($"e{i}", conv[i], fc[i]))];
    }

    private static float[] Filled(int length, float value) => Enumerable.Repeat(value, length).ToArray();

    /// <summary>One of each kind of event that does not fit the reference.</summary>
    private static IEnumerable<(ActivationEvent Event, string Kind)> Junk()
    {
        var fine = Gaussian.Samples(1, Fc, 77)[0];
        var conv = Gaussian.Samples(1, Conv, 78)[0];
        yield return (Event("j-31", conv[..31], fine), "dimension");
        yield return (Event("j-1e20", Filled(Conv, 1e20f), fine), "value");
        yield return (Event("j-4e18", conv, Filled(Fc, 4e18f)), "value");
        yield return (Event("j-2e6", conv, Filled(Fc, -2e6f)), "value");
        yield return (Event("j-nan", conv, [float.NaN, .. fine[1..]]), "value");
        yield return (Event("j-inf", [.. conv[..5], float.PositiveInfinity, .. conv[6..]], fine), "value");
        yield return (Event("j-model", conv, fine, model: "other"), "model");
        var missing = new ActivationEvent { Header = new EventHeader { EventId = "j-missing", Model = "m", ModelVersion = "v1" } };
        missing.Layers.Add(new LayerActivation { Layer = "conv1", Values = { conv } });
        missing.Layers.Add(new LayerActivation { Layer = "layer-the-model-lacks", Values = { fine } });
        yield return (missing, "missing_layer");
        var twice = Event("j-twice", conv, fine);
        twice.Layers.Add(new LayerActivation { Layer = "fc1", Values = { fine } });
        yield return (twice, "duplicate_layer");
        yield return (Event("j-v2", conv, fine, version: "v2"), "model_version");
    }

    [Fact]
    public void Detection_FileReference_NamesTheRegistryIdOfTheSameBytes()
    {
        var checksum = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(_reference)));
        var prepared = _runner.Prepare(Ready, Events(seed: 10, fcShift: 0));

        var detection = DetectionMessages.Detection(prepared, _runner.TestMany([prepared])[0], new DetectorOptions(), DateTimeOffset.UnixEpoch);

        Assert.Equal($"m/v1/{checksum[..12]}", _runner.ReferenceId);
        Assert.Equal((_runner.ReferenceId, false, DetectionStatus.Tested), (detection.ReferenceId, detection.ReferenceFallback, detection.Status));
    }

    [Fact]
    public void Prepare_VersionFallback_KeepsEventsOfAnotherVersionOfTheModel()
    {
        var events = Events(seed: 11, fcShift: 0).Select(e => { e.Header.ModelVersion = "v2"; return e; }).ToList();

        var strict = _runner.Tester.Prepare(Ready, events);
        var fallback = _runner.Tester.Prepare(Ready, events, fallback: true);

        Assert.All(strict.Dropped, d => Assert.Equal("model_version", d.Problem.Kind));
        Assert.Equal(100, strict.Dropped.Count);
        Assert.Empty(fallback.Dropped);
        Assert.True(fallback.ReferenceFallback);
        Assert.Equal(DetectionStatus.Tested, fallback.Status);
    }

    [Fact]
    public void Detection_WindowWithoutReference_IsUncalibratedUntestedAndCountsItsEvents()
    {
        var prepared = PreparedWindow.WithoutReference(Ready, Events(seed: 12, fcShift: 2), missingEvents: 1, DetectionStatus.Uncalibrated);
        var outcome = new WindowTestOutcome([], CorrectionMethod.Bonferroni, 0.05, CombinedPValue: 1, Alert: false, [], TimeSpan.Zero);

        var detection = DetectionMessages.Detection(prepared, outcome, new DetectorOptions(), DateTimeOffset.UnixEpoch);

        Assert.False(prepared.Testable);
        Assert.Equal((DetectionStatus.Uncalibrated, "", false, 100u, 1u, 0u), (detection.Status, detection.ReferenceId, detection.Alert, detection.WindowSize, detection.MissingEvents, detection.DroppedEvents));
        Assert.Empty(detection.Layers);
    }

    [Fact]
    public void Prepare_EventsThatDoNotFit_AreDroppedEachWithItsKindAndTheRestKept()
    {
        var events = Events(10, 0);
        var junk = Junk().ToList();
        for (var j = 0; j < junk.Count; j++)
            events.Insert(5 + 7 * j, junk[j].Event);

        var prepared = _runner.Prepare(Ready, events);

        Assert.Equal(100, prepared.Events.Count);
        Assert.DoesNotContain(prepared.Events, e => e.Header.EventId.StartsWith("j-", StringComparison.Ordinal));
        Assert.Equal(junk.Select(j => (j.Event.Header.EventId, j.Kind)), prepared.Dropped.Select(d => (d.Event.Header.EventId, d.Problem.Kind)));
        Assert.All(prepared.Layers.Values, rows => Assert.Equal(100, rows.Length));
        Assert.Contains("31 values, but the reference expects 32", prepared.Dropped[0].Problem.Description);
        Assert.Contains("E+20, beyond", prepared.Dropped[1].Problem.Description);
        Assert.Contains("layer 'fc1'", prepared.Dropped[7].Problem.Description);
    }

    [Fact]
    public void Prepare_EventOfAnotherModelVersion_IsDroppedNamingBothVersionsAndTheRestKept()
    {
        var events = Events(10, 0);
        events[40] = Event("j-v2", events[40].Layers[0].Values.ToArray(), events[40].Layers[1].Values.ToArray(), version: "v2");
        events[60].Header.ModelVersion = "";

        var prepared = _runner.Prepare(Ready, events);

        Assert.Equal(98, prepared.Events.Count);
        Assert.Equal(["j-v2", "e60"], prepared.Dropped.Select(d => d.Event.Header.EventId));
        Assert.All(prepared.Dropped, d => Assert.Equal("model_version", d.Problem.Kind));
        Assert.Equal("it is of model version 'v2', but the reference is of version 'v1'", prepared.Dropped[0].Problem.Description);
        Assert.Contains("model version ''", prepared.Dropped[1].Problem.Description);
        Assert.All(prepared.Layers.Values, rows => Assert.Equal(98, rows.Length));
    }

    [Fact]
    public void Prepare_LayersTheReferenceDoesNotKnow_AreIgnored()
    {
        var events = Events(10, 0);
        foreach (var e in events)
            e.Layers.Add(new LayerActivation { Layer = "logits", Values = { 1f, 2f } });

        var prepared = _runner.Prepare(Ready, events);

        Assert.Empty(prepared.Dropped);
        Assert.Equal(["conv1", "fc1"], prepared.Layers.Keys.Order());
    }

    [Fact]
    public void TestMany_AttackedWindowWithTwoJunkEvents_StillAlerts()
    {
        var events = Events(20, fcShift: 1.0f);
        events.Insert(30, Junk().First(j => j.Event.Header.EventId == "j-31").Event);
        events.Insert(70, Junk().First(j => j.Event.Header.EventId == "j-1e20").Event);

        var prepared = _runner.Prepare(Ready, events);
        var outcome = _runner.TestMany([prepared])[0];

        Assert.Equal(2, prepared.Dropped.Count);
        Assert.True(outcome.Alert, $"combined p = {outcome.CombinedPValue}");
        Assert.True(outcome.Layers.Single(l => l.Layer == "fc1").Rejected);
        Assert.All(outcome.TopSampleIndices, i => Assert.StartsWith("e", prepared.Events[i].Header.EventId, StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_IlgpuBackend_LogsItAndDecidesAsTorchSharp()
    {
        var logger = new RecordingLogger<WindowTestRunner>();
        using var ilgpu = new WindowTestRunner(Options.Create(new DetectorOptions
        {
            ReferencePath = _reference, Device = "cpu", Permutations = 200, Backend = ComputeBackend.Ilgpu,
        }), logger);
        var clean = _runner.Prepare(Ready, Events(10, fcShift: 0f));
        var attacked = _runner.Prepare(Ready, Events(20, fcShift: 1.0f));

        var expected = _runner.TestMany([clean, attacked]);
        var actual = ilgpu.TestMany([clean, attacked]);

        // No GPU here: ILGPU falls back to its CPU accelerator, and the start-up log says so.
        Assert.Contains(logger.Lines, l => l.Contains("Detector:Backend Ilgpu", StringComparison.Ordinal) && l.Contains("ILGPU CPU", StringComparison.Ordinal));
        Assert.Equal(new[] { false, true }, actual.Select(o => o.Alert));
        Assert.Equal(expected.Select(o => o.Alert), actual.Select(o => o.Alert));
        Assert.Equal(expected.SelectMany(o => o.Layers.Select(l => l.PValue)), actual.SelectMany(o => o.Layers.Select(l => l.PValue)));
    }

    [Fact]
    public void TestMany_CleanWindowWithEveryKindOfJunk_DoesNotAlertAndStaysFinite()
    {
        var events = Events(30, 0);
        foreach (var (junk, _) in Junk())
            events.Insert(50, junk);

        var prepared = _runner.Prepare(Ready, events);
        var outcome = _runner.TestMany([prepared])[0];

        Assert.Equal(Junk().Count(), prepared.Dropped.Count);
        Assert.False(outcome.Alert, $"combined p = {outcome.CombinedPValue}");
        Assert.All(outcome.Layers, l =>
        {
            Assert.True(double.IsFinite(l.Mmd2));
            Assert.InRange(l.PValue, 1 / 201.0, 1);
            Assert.Null(l.Problem);
        });
    }

    [Fact]
    public void TestMany_FewerThanTwoUsableEvents_ReportsAnUntestedWindowInsteadOfThrowing()
    {
        var events = new List<ActivationEvent> { Events(40, 0)[0] };
        events.AddRange(Junk().Select(j => j.Event));

        var prepared = _runner.Prepare(Ready, events);
        var outcome = _runner.TestMany([prepared])[0];

        Assert.False(prepared.Testable);
        Assert.False(outcome.Alert);
        Assert.Equal(1, outcome.CombinedPValue);
        Assert.Empty(outcome.Layers);
    }

    [Fact]
    public void TestMany_BatchWithAnUntestableWindow_TestsTheOthersAsAlone()
    {
        var attacked = _runner.Prepare(Ready, Events(50, fcShift: 1.0f));
        var empty = _runner.Prepare(Ready, []);

        var batch = _runner.TestMany([empty, attacked]);
        var alone = _runner.TestMany([attacked])[0];

        Assert.False(batch[0].Alert);
        Assert.True(batch[1].Alert);
        Assert.Equal(alone.Layers.Select(l => l.PValue), batch[1].Layers.Select(l => l.PValue));
    }

    [Fact]
    public void Prepare_WindowOfAnotherModel_IsMalformedAsAWhole()
    {
        var foreign = new WindowReady { Header = new EventHeader { Model = "other", StreamId = "s" }, WindowId = "other/s/1" };

        var error = Assert.Throws<MalformedMessageException>(() => _runner.Prepare(foreign, Events(60, 0)));

        Assert.Contains("'other'", error.Message);
    }
}
