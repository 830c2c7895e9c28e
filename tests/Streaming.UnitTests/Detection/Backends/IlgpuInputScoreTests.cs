using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Contracts;
using Streaming.Detection;
using Streaming.Detection.Decision;
using Streaming.Detection.Ilgpu;
using Streaming.Detection.Scoring;
using Streaming.Detection.WindowTest;
using Streaming.UnitTests.Detection.Windows;
using static Streaming.UnitTests.Detection.Backends.RealShapedData;

namespace Streaming.UnitTests.Detection.Backends;

/// <summary>
/// The per-input scores' ILGPU kernels on the CPU accelerator against the CPU scorer, on layers of the
/// small-cnn's shapes (32, 64, 128 and 10 components, 10 classes, n_ref 1,000): raw scores within
/// float32 rounding; conformal p-values, evidence and window decisions identical.
/// </summary>
public sealed class IlgpuInputScoreTests
{
    private const double Alpha = 0.05;

    // Shared by every test: calibrating the scorer (1,000 held-out inputs, 4 layers) is the slow part.
    private static readonly PerInputScorer Cpu = new(Set);

    [Theory]
    [InlineData(NonconformityMeasure.ClassMahalanobis)]
    [InlineData(NonconformityMeasure.KnnDistance)]
    public void ScoreWindow_RealShapedLayersOnCpuAccelerator_MatchesCpuPath(NonconformityMeasure measure)
    {
        var options = new PerInputScorerOptions { Measure = measure };
        var cpu = measure == NonconformityMeasure.ClassMahalanobis ? Cpu : new PerInputScorer(Set, options);
        using var backend = new IlgpuInputScoreBackend(IlgpuTarget.Cpu);
        var device = new PerInputScorer(Set, options, backend);
        var (layers, predicted) = Events(100, seed: 192);

        var expected = cpu.ScoreWindow(layers, predicted);
        var actual = device.ScoreWindow(layers, predicted);

        Assert.Equal(4, backend.LayerCount);
        Assert.Contains("ILGPU", device.BackendDescription);
        Assert.True(expected.Count(s => s.FusedPValue <= Alpha) >= 10, "too few outlying events: the comparison would not cover small p-values");
        for (int e = 0; e < expected.Length; e++)
        {
            for (int l = 0; l < Dimensions.Length; l++)
            {
                double scale = Math.Max(1.0, Math.Abs(expected[e].LayerScores[l]));
                Assert.True(Math.Abs(expected[e].LayerScores[l] - actual[e].LayerScores[l]) <= 1e-4 * scale,
                    $"event {e} layer {l}: CPU {expected[e].LayerScores[l]}, device {actual[e].LayerScores[l]}");
            }
            Assert.Equal(expected[e].LayerPValues, actual[e].LayerPValues);
            Assert.Equal(expected[e].FusedPValue, actual[e].FusedPValue);
            Assert.Equal(expected[e].SmallestLayerName, actual[e].SmallestLayerName);
            Assert.Equal(expected[e].LabelDisagreement, actual[e].LabelDisagreement);
            Assert.Equal(expected[e].AdversarialPValue, actual[e].AdversarialPValue);
            Assert.Equal(expected[e].AdversarialEvidence, actual[e].AdversarialEvidence);
            Assert.Equal(expected[e].ClassGap is null, actual[e].ClassGap is null);
            if (expected[e].ClassGap is double gap)
            {
                Assert.True(Math.Abs(gap - actual[e].ClassGap!.Value) <= 1e-4 * Math.Max(1.0, expected[e].LayerScores.Max()), $"event {e}: class gap {gap} vs {actual[e].ClassGap}");
            }
        }
    }

    [Fact]
    public void Build_DeviceScorerWithEventCache_SameEvidenceAsCpuScorer()
    {
        // Windows of 20 events sliding by 10 over 100 events: the cached builder scores only the new events on the device.
        using var backend = new IlgpuInputScoreBackend(IlgpuTarget.Cpu);
        var device = new PerInputScorer(Set, backend: backend);
        var (layers, predicted) = Events(100, seed: 193);
        var plain = new WindowEvidenceBuilder(Cpu, Alpha);
        var cached = new WindowEvidenceBuilder(device, Alpha, cache: new EventEvidenceCache(1000));

        var alerts = 0;
        for (var start = 0; start + 20 <= 100; start += 10)
        {
            int[] window = [.. Enumerable.Range(start, 20)];
            var windowLayers = layers.Select(l => window.Select(i => l[i]).ToArray()).ToArray();
            var windowPredicted = window.Select(i => predicted[i]).ToArray();
            var expected = plain.Build(Outcome(0.5), windowLayers, windowPredicted);
            var actual = cached.Build(Outcome(0.5), windowLayers, windowPredicted, [.. window.Select(i => (EventKey?)new EventKey("s", $"e{i}"))]);
            Assert.Equal(Json(expected), Json(actual));
            if (actual.Decision.Alert) alerts++;
        }

        Assert.True(alerts > 0, "no window alerted: the comparison would not cover findings");
        Assert.Equal(100, cached.Timings.ComputedEvents);
        Assert.Equal(80, cached.Timings.ReusedEvents);
    }

    [Fact]
    public void Score_VectorOfWrongLength_ThrowsNamingLayer()
    {
        using var backend = new IlgpuInputScoreBackend(IlgpuTarget.Cpu);
        var device = new PerInputScorer(Set, backend: backend);
        var (layers, predicted) = Events(3, seed: 194);
        layers[2][1] = layers[2][1][..100];

        var error = Assert.Throws<ArgumentException>(() => device.ScoreWindow(layers, predicted));

        Assert.Contains("'l2'", error.Message);
    }

    [Fact]
    public void Constructor_BackendAlreadyHoldingLayers_Throws()
    {
        using var backend = new IlgpuInputScoreBackend(IlgpuTarget.Cpu);
        _ = new PerInputScorer(Set, backend: backend);

        Assert.Throws<ArgumentException>(() => new PerInputScorer(Set, backend: backend));
    }

    [Fact]
    public void Evidence_DetectorBackendIlgpu_ScoresAndLevelsOnDeviceAndSameEvidenceAsCpu()
    {
        var logger = new RecordingLogger<IlgpuInputScoreTests>();
        DetectorOptions Settings(ComputeBackend backend) => new()
        {
            Device = "cpu", Permutations = 200, Backend = backend, Scan = new ScanSettings { NullWindows = 100, PrepareWindowSize = 40 },
        };
        using var cpu = new ReferenceTester(Set, "ref", Settings(ComputeBackend.TorchSharp), NullLogger.Instance);
        using var ilgpu = new ReferenceTester(Set, "ref", Settings(ComputeBackend.Ilgpu), logger);
        var (layers, predicted) = Events(40, seed: 195);
        // Every event with a class, so the conditional scan runs on the window.
        var events = Enumerable.Range(0, 40).Select(i => Activation($"e{i}", [.. layers.Select(l => l[i])], predicted[i] ?? 0)).ToList();
        var window = new WindowReady { Header = new EventHeader { EventId = "w", Model = "synthetic", ModelVersion = "1", StreamId = "s" }, WindowId = "synthetic/s/1" };
        var prepared = cpu.Prepare(window, events);
        var outcome = cpu.TestMany([prepared])[0];

        var expected = cpu.Evidence(prepared, outcome);
        var actual = ilgpu.Evidence(prepared, outcome);

        Assert.Contains(logger.Lines, l => l.Contains("Per-input scores on", StringComparison.Ordinal) && l.Contains("computed by ILGPU CPU", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.Contains("Subset scan on", StringComparison.Ordinal) && l.Contains("levels computed by ILGPU CPU", StringComparison.Ordinal));
        Assert.NotEmpty(expected.Findings);
        Assert.NotNull(expected.Scan);
        Assert.Equal(Json(expected), Json(actual));
    }

    [Theory]
    [InlineData(ComputeBackend.TorchSharp, false)]
    [InlineData(ComputeBackend.Ilgpu, true)]
    [InlineData(ComputeBackend.Auto, false)]   // no CUDA GPU here: Auto keeps the CPU path
    public void CreateInputScores_Setting_DeviceOnlyForIlgpuOrAGpu(ComputeBackend setting, bool expected)
    {
        using var backend = ComputeBackends.CreateInputScores(setting);

        Assert.Equal(expected || (setting == ComputeBackend.Auto && IlgpuDevices.CudaAvailable()), backend is not null);
    }

    private static ActivationEvent Activation(string id, float[][] vectors, int? predicted)
    {
        var activation = new ActivationEvent
        {
            Header = new EventHeader { EventId = id, Model = "synthetic", ModelVersion = "1", StreamId = "s" },
            PredictedClass = predicted ?? 0,
            Confidence = predicted is null ? 0f : 0.9f,
        };
        for (int l = 0; l < vectors.Length; l++) activation.Layers.Add(new LayerActivation { Layer = $"l{l}", Values = { vectors[l] } });
        return activation;
    }

    private static string Json(WindowEvidence evidence) =>
        JsonSerializer.Serialize(evidence, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });

    private static WindowTestOutcome Outcome(double p) =>
        new([new LayerTestOutcome("l0", 0.01, p, p < Alpha)], CorrectionMethod.Bonferroni, Alpha, p, p < Alpha, [], TimeSpan.Zero);
}
