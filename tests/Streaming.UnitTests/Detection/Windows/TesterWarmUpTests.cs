using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Detection;
using Streaming.Detection.WindowTest;
using Streaming.UnitTests.Detection.Scoring;

namespace Streaming.UnitTests.Detection.Windows;

/// <summary>
/// The warm-up at start (Detector:WarmUpWindows) tests windows of the reference's own rows through the whole path
/// and changes nothing a real window gets: same MMD outcome, same evidence, same decision as a runner that did
/// not warm up, on clean and shifted windows, with the per-input and scan families on.
/// </summary>
public sealed class TesterWarmUpTests : IDisposable
{
    private static readonly string[] Layers = ["input", "hidden", "square"];
    private readonly string _reference = Path.Combine(Path.GetTempPath(), $"warmup-{Guid.NewGuid():N}.ref");

    public TesterWarmUpTests()
    {
        ReferenceFile.Save(_reference, ScoringFixtures.Reference(referenceCount: 300, calibrationCount: 400, seed: 5));
    }

    public void Dispose() => File.Delete(_reference);

    [Fact]
    public void WindowTestRunner_WarmedUpOrNot_SameOutcomeEvidenceAndDecisionForRealWindows()
    {
        using var warmed = Runner(warmUpWindows: 3);
        using var cold = Runner(warmUpWindows: 0);

        // The warm-up left its events in the tester's event cache (3 windows of 100 rows); the cold runner has none.
        Assert.Equal(300, warmed.Tester.EventCache!.Count);
        Assert.Equal(0, cold.Tester.EventCache!.Count);
        foreach (var (shift, seed) in new[] { (0f, 11), (1.5f, 12), (0f, 13) })
        {
            var (layers, labels) = ScoringFixtures.Source(60, seed, shift: shift);
            var events = Enumerable.Range(0, 60).Select(i => Event($"e{seed}-{i}", layers, labels, i)).ToList();
            var window = new WindowReady
            {
                Header = new EventHeader { EventId = $"w{seed}", Model = "synthetic", ModelVersion = "1", StreamId = "s" },
                WindowId = $"synthetic/s/{seed}",
            };

            var (warmOutcome, warmEvidence) = Test(warmed, window, events);
            var (coldOutcome, coldEvidence) = Test(cold, window, events);

            Assert.Equal(coldOutcome.CombinedPValue, warmOutcome.CombinedPValue);
            Assert.Equal(coldOutcome.Layers.Select(l => l.PValue), warmOutcome.Layers.Select(l => l.PValue));
            Assert.Equal(coldEvidence.Decision.CombinedPValue, warmEvidence.Decision.CombinedPValue);
            Assert.Equal(coldEvidence.Decision.Alert, warmEvidence.Decision.Alert);
            Assert.Equal(coldEvidence.Findings, warmEvidence.Findings);
        }
    }

    [Fact]
    public void Run_ReferenceWithCalibration_TestsEveryWindowOnTheReservedStream()
    {
        using var runner = Runner(warmUpWindows: 0);

        var took = TesterWarmUp.Run(runner.Tester, windows: 2, DateTimeOffset.UtcNow);

        Assert.True(took > TimeSpan.Zero);
        // Each window's 100 events went through the per-input scoring (cached under the reserved stream).
        Assert.Equal(200, runner.Tester.EventCache!.Count);
        Assert.StartsWith(WindowScopes.ReservedStreamIdPrefix, TesterWarmUp.StreamId, StringComparison.Ordinal);
    }

    private WindowTestRunner Runner(int warmUpWindows) =>
        new(Options.Create(new DetectorOptions { ReferencePath = _reference, Device = "cpu", Permutations = 200, WarmUpWindows = warmUpWindows }), NullLogger<WindowTestRunner>.Instance);

    private static (WindowTestOutcome Outcome, Streaming.Detection.Decision.WindowEvidence Evidence) Test(WindowTestRunner runner, WindowReady window, IReadOnlyList<ActivationEvent> events)
    {
        var prepared = runner.Prepare(window, events);
        var outcome = runner.TestMany([prepared])[0];
        return (outcome, runner.Evidence(prepared, outcome));
    }

    private static ActivationEvent Event(string id, float[][][] layers, int[] labels, int row)
    {
        var activation = new ActivationEvent
        {
            Header = new EventHeader { EventId = id, Model = "synthetic", ModelVersion = "1", StreamId = "s" },
            PredictedClass = labels[row],
            Confidence = 1f,
        };
        for (var l = 0; l < Layers.Length; l++)
            activation.Layers.Add(new LayerActivation { Layer = Layers[l], Values = { layers[l][row] } });
        return activation;
    }
}
