using System.Text.Json;
using Streaming.Alerting.Delivery;
using Streaming.Contracts;
using Streaming.Detection;
using Streaming.Detection.Online;
using Streaming.Detection.WindowTest;
using Streaming.UnitTests.Detection;

namespace Streaming.UnitTests.Detection.Windows;

public sealed class DetectionMessagesTests
{
    private static readonly WindowReady Window = new()
    {
        Header = new EventHeader { SchemaVersion = 1, EventId = "w", Model = "m", ModelVersion = "1", StreamId = "s" },
        WindowId = "m/s/7",
        LastEventTimestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
    };

    private static ActivationEvent Event(string id, string attack = "none") => new()
    {
        Header = new EventHeader { EventId = id, Model = "m", StreamId = "s" },
        Attributes = { ["attack"] = attack },
    };

    private static PreparedWindow Prepared(IReadOnlyList<ActivationEvent> events, IReadOnlyList<DroppedEvent>? dropped = null, int missing = 0) =>
        new(Window, events, new Dictionary<string, float[][]>(), dropped ?? [], missing);

    [Theory]
    [InlineData(0.0004, "high")]
    [InlineData(0.004, "medium")]
    [InlineData(0.04, "low")]
    public void Severity_ByDistanceBelowAlpha(double p, string expected)
    {
        Assert.Equal(expected, DetectionMessages.Severity(p, 0.05));
    }

    [Fact]
    public void Alert_WithEvidence_CarriesFamiliesScanSuspiciousEventsAndKind()
    {
        var events = Enumerable.Range(0, 4).Select(i => Event("e" + i)).ToList();
        events[3].Header.StreamId = "other";
        var outcome = new WindowTestOutcome(
            [new LayerTestOutcome("conv1", 0.01, 0.3, false)], CorrectionMethod.Bonferroni, 0.05, 0.3, false, [0, 1, 2, 3], TimeSpan.Zero);
        var decision = Streaming.Detection.Decision.WindowDecider.Decide(0.3, 0.2, 0.004, 0.05);
        var evidence = new Streaming.Detection.Decision.WindowEvidence(
            decision,
            new Streaming.Detection.Decision.ScanFinding("berk-jones", 9.5, 0.2, 0.05, [3, 1], ["conv1:7"]),
            Streaming.Detection.Decision.InputFindings.Rank([0.9, 0.5, 0.8, 0.001], ["conv1", "conv1", "conv1", "fc1"], [false, false, false, true], 0.05, 2),
            Streaming.Detection.Decision.EvidenceKind.Adversarial);

        var alert = DetectionMessages.Alert(Prepared(events), outcome, new DetectorOptions(), DateTimeOffset.UnixEpoch, evidence);
        var detection = DetectionMessages.Detection(Prepared(events), outcome, new DetectorOptions(), DateTimeOffset.UnixEpoch, evidence);

        // The per-input counts at 0.004, weight 0.6: combined 0.004 / 0.6 < 0.05, though MMD alone passed.
        Assert.True(detection.Alert);
        Assert.Equal(0.004 / 0.6, detection.CombinedPValue, 12);
        Assert.Equal(0.3, detection.MmdPValue);
        Assert.Equal(0.004, detection.InputPValue, 12);
        Assert.Equal("adversarial", detection.Kind);
        Assert.Equal(["e3", "e1"], alert.Scan.EventIds);
        Assert.Equal(2u, alert.Scan.Events);
        Assert.Equal("e3", alert.SuspiciousEvents[0].EventId);
        Assert.Equal("other", alert.SuspiciousEvents[0].StreamId);
        Assert.True(alert.SuspiciousEvents[0].Flagged);
        Assert.True(alert.SuspiciousEvents[0].Adversarial);
        Assert.Equal("fc1", alert.SuspiciousEvents[0].Layer);
        Assert.False(alert.SuspiciousEvents[1].Flagged);
        Assert.Equal("adversarial", alert.Kind);
        Assert.Equal(0.004 / 0.6, alert.CombinedPValue, 12);
    }

    [Fact]
    public void Detection_WithoutEvidence_MmdAloneDecidesAndNoOtherFamily()
    {
        var outcome = new WindowTestOutcome(
            [new LayerTestOutcome("conv1", 0.01, 0.01, true)], CorrectionMethod.Bonferroni, 0.05, 0.01, true, [0, 1], TimeSpan.Zero);

        var detection = DetectionMessages.Detection(Prepared([Event("a"), Event("b")]), outcome, new DetectorOptions(), DateTimeOffset.UnixEpoch);

        Assert.True(detection.Alert);
        Assert.Equal(0.01, detection.CombinedPValue);
        Assert.Equal(0.01, detection.MmdPValue);
        Assert.Null(detection.Scan);
        Assert.False(detection.HasInputPValue);
        Assert.Empty(detection.SuspiciousEvents);
        Assert.Equal("", detection.Kind);
    }

    [Fact]
    public void Alert_CarriesRejectedLayersTopEventsAndWindowDerivedId()
    {
        var events = Enumerable.Range(0, 4).Select(i => Event("e" + i, i < 3 ? "fgsm" : "none")).ToList();
        var outcome = new WindowTestOutcome(
            [new LayerTestOutcome("conv1", 0.01, 0.3, false), new LayerTestOutcome("fc1", 0.5, 0.002, true)],
            CorrectionMethod.Bonferroni, 0.05, 0.004, true, [2, 0, 1, 3], TimeSpan.FromMilliseconds(3));
        var options = new DetectorOptions { TopK = 2, Permutations = 499 };

        var alert = DetectionMessages.Alert(Prepared(events), outcome, options, DateTimeOffset.UnixEpoch);
        var detection = DetectionMessages.Detection(Prepared(events), outcome, options, DateTimeOffset.UnixEpoch);

        Assert.Equal("alert:m/s/7", alert.AlertId);
        Assert.Equal(["fc1"], alert.RejectedLayers);
        Assert.Equal(["e2", "e0"], alert.TopEventIds);
        Assert.Equal("medium", alert.Severity);
        Assert.True(detection.Alert);
        Assert.Equal(DetectionStatus.Tested, detection.Status);
        Assert.Equal(0.75, detection.AttackShare);
        Assert.Equal(2, detection.Layers.Count);
        Assert.All(detection.Layers, l => Assert.Equal(499u, l.Permutations));
        Assert.All(detection.Layers, l => Assert.Equal("", l.Problem));
    }

    [Fact]
    public void Detection_WindowWithDroppedEvents_CountsAndListsThemAndTopIdsIndexTheTestedEvents()
    {
        var tested = new[] { Event("e0"), Event("e2", "fgsm"), Event("e3", "fgsm") };
        var dropped = new[] { new DroppedEvent(Event("e1"), new EventProblem("dimension", "layer 'conv1' has 31 values")) };
        var outcome = new WindowTestOutcome([new LayerTestOutcome("fc1", 0.5, 0.002, true)],
            CorrectionMethod.Bonferroni, 0.05, 0.002, true, [2, 1, 0], TimeSpan.FromMilliseconds(3));
        var options = new DetectorOptions { TopK = 1 };

        var detection = DetectionMessages.Detection(Prepared(tested, dropped, missing: 1), outcome, options, DateTimeOffset.UnixEpoch);
        var alert = DetectionMessages.Alert(Prepared(tested, dropped), outcome, options, DateTimeOffset.UnixEpoch);

        Assert.Equal(4u, detection.WindowSize);
        Assert.Equal(1u, detection.DroppedEvents);
        Assert.Equal(["e1"], detection.DroppedEventIds);
        Assert.Equal(1u, detection.MissingEvents);
        Assert.Equal(2 / 3.0, detection.AttackShare, 12);
        Assert.Equal(1u, alert.DroppedEvents);
        Assert.Equal(["e3"], alert.TopEventIds);
    }

    [Fact]
    public void Detection_NoUsableEvents_ReportsInsufficientEventsWithFiniteFieldsAndNoAlert()
    {
        var dropped = new[] { new DroppedEvent(Event("e0"), new EventProblem("value", "NaN")) };
        var untested = new WindowTestOutcome([], CorrectionMethod.Bonferroni, 0.05, 1, false, [], TimeSpan.Zero);

        var detection = DetectionMessages.Detection(Prepared([], dropped), untested, new DetectorOptions(), DateTimeOffset.UnixEpoch);

        Assert.Equal(DetectionStatus.InsufficientEvents, detection.Status);
        Assert.False(detection.Alert);
        Assert.Equal(1, detection.CombinedPValue);
        Assert.Equal(0, detection.AttackShare); // 0 of 0 tested events, not NaN
        Assert.Empty(detection.Layers);
    }

    [Fact]
    public void Detection_NaNStatistics_NeverAlertAndLeaveNothingNonFinite()
    {
        var events = Enumerable.Range(0, 3).Select(i => Event("e" + i)).ToList();
        // As a broken statistic would produce it: NaN MMD², the "smallest" p-value, and an alert.
        var forged = new WindowTestOutcome(
            [new LayerTestOutcome("conv1", double.NaN, 1 / 501.0, true), new LayerTestOutcome("fc1", 0.001, double.NaN, true)],
            CorrectionMethod.Bonferroni, 0.05, 2 / 501.0, true, [0, 1, 2], TimeSpan.FromMilliseconds(1));

        var detection = DetectionMessages.Detection(Prepared(events), forged, new DetectorOptions(), DateTimeOffset.UnixEpoch);

        Assert.False(detection.Alert);
        Assert.Equal(1, detection.CombinedPValue);
        Assert.All(detection.Layers, l =>
        {
            Assert.False(l.Rejected);
            Assert.Equal(1, l.PValue);
            Assert.True(double.IsFinite(l.Mmd2));
            Assert.NotEqual("", l.Problem);
        });
        Assert.Equal(0.001, detection.Layers[1].Mmd2); // a finite MMD² is kept
    }

    [Fact]
    public void FiniteOutcome_NaNLayerBesideAGenuinelyShiftedOne_AlertsOnTheShiftedLayerOnly()
    {
        var outcome = new WindowTestOutcome(
            [new LayerTestOutcome("conv1", double.NaN, 0.002, true), new LayerTestOutcome("fc1", 0.4, 0.002, true)],
            CorrectionMethod.Bonferroni, 0.05, 0.004, true, [0], TimeSpan.Zero);

        var ensured = FiniteOutcome.Ensure(outcome);

        Assert.True(ensured.Alert);
        Assert.Equal(0.004, ensured.CombinedPValue, 12);
        Assert.Equal([false, true], ensured.Layers.Select(l => l.Rejected));
        Assert.NotNull(ensured.Layers[0].Problem);
    }

    [Fact]
    public void FiniteOutcome_FiniteOutcome_IsReturnedUnchanged()
    {
        var outcome = new WindowTestOutcome([new LayerTestOutcome("fc1", 0.4, 0.002, true)],
            CorrectionMethod.Bonferroni, 0.05, 0.002, true, [0], TimeSpan.Zero);

        Assert.Same(outcome, FiniteOutcome.Ensure(outcome));
    }

    [Fact]
    public void FiniteFields_NonFiniteValuesAnywhere_PValuesBecomeOneOthersZero()
    {
        var alert = new Alert { CombinedPValue = double.NaN, Alpha = double.PositiveInfinity };
        alert.Layers.Add(new LayerResult { Layer = "l", Mmd2 = double.NegativeInfinity, PValue = double.NaN, Threshold = double.NaN });

        var replaced = FiniteFields.Replace(alert);

        Assert.Equal(5, replaced);
        Assert.Equal(1, alert.CombinedPValue);
        Assert.Equal(0, alert.Alpha);
        Assert.Equal(0, alert.Layers[0].Mmd2);
        Assert.Equal(1, alert.Layers[0].PValue);
        Assert.Equal(0, alert.Layers[0].Threshold);
    }

    [Fact]
    public void OnlineAlert_LayerPValues_AreTheCalibratedFalseAlarmRateOrOneAndSerializeAsWebhookJson()
    {
        var reference = new ReferenceSet("m", "1", DateTimeOffset.UnixEpoch,
            [DetectionFixtures.Layer("a", Gaussian.Samples(200, 3, 1)), DetectionFixtures.Layer("b", Gaussian.Samples(200, 3, 2))]);
        var model = OnlineMmdCalibrator.Calibrate(reference, new OnlineMmdOptions { WindowSize = 5, ExpectedRunTime = 100, Bootstraps = 1_000 }, DetectionFixtures.Device);
        var step = new OnlineStepResult(12, [new OnlineLayerStep("a", 0.9, 0.3, Exceeded: true), new OnlineLayerStep("b", 0.1, 0.3, Exceeded: false)], Alarm: true, [0.5, 0.1]);
        var trigger = Event("e9");

        var alert = DetectionMessages.OnlineAlert(trigger, step, ["e9"], model, topK: 5, DateTimeOffset.UnixEpoch);

        Assert.Equal(1.0 / (100 * 2), alert.Layers[0].PValue, 15);
        Assert.Equal(1, alert.Layers[1].PValue);
        // Bonferroni over the layers gives back the alert's combined value, 1/ERT.
        Assert.Equal(alert.CombinedPValue, 2 * alert.Layers.Min(l => l.PValue), 15);
        var json = JsonSerializer.Serialize(AlertWebhookPayload.From(alert), AlertPayloadJsonContext.Default.AlertWebhookPayload);
        Assert.Contains("\"pValue\":0.005", json);
    }

    [Fact]
    public void DetectionAndAlert_ModelWideWindow_NameTheStreamsOfTheTestedAndTopEvents()
    {
        var window = new WindowReady
        {
            Header = new EventHeader { SchemaVersion = 1, EventId = "w", Model = "m", ModelVersion = "1", StreamId = WindowScopes.ModelWideStreamId },
            WindowId = "m/__model/7",
            Scope = WindowScopes.Model,
        };
        // One input per stream, as an attacker spreading over stream ids sends them; 150 streams, 100 listed.
        var events = Enumerable.Range(0, 150).Select(i => new ActivationEvent { Header = new EventHeader { EventId = "e" + i, Model = "m", StreamId = "s" + i } }).ToList();
        var prepared = new PreparedWindow(window, events, new Dictionary<string, float[][]>(), []);
        var outcome = new WindowTestOutcome([new LayerTestOutcome("fc1", 0.5, 0.002, true)],
            CorrectionMethod.Bonferroni, 0.05, 0.002, true, [120, 3], TimeSpan.FromMilliseconds(3));
        var options = new DetectorOptions { TopK = 2 };

        var detection = DetectionMessages.Detection(prepared, outcome, options, DateTimeOffset.UnixEpoch);
        var alert = DetectionMessages.Alert(prepared, outcome, options, DateTimeOffset.UnixEpoch);

        Assert.Equal(WindowScopes.Model, detection.Scope);
        Assert.Equal(WindowScopes.ModelWideStreamId, detection.Header.StreamId);
        Assert.Equal(Enumerable.Range(0, DetectionMessages.MaxStreamIdsListed).Select(i => "s" + i), detection.StreamIds);
        Assert.Equal(WindowScopes.Model, alert.Scope);
        Assert.Equal(WindowScopes.ModelWideStreamId, alert.Header.StreamId);
        Assert.Equal(["e120", "e3"], alert.TopEventIds);
        Assert.Equal(["s120", "s3"], alert.TopEventStreamIds);
        Assert.Equal(detection.StreamIds, alert.StreamIds);
    }

    [Fact]
    public void Detection_StreamWindow_ScopeStreamAndItsOneStream()
    {
        var events = new[] { Event("e0"), Event("e1") };
        var outcome = new WindowTestOutcome([], CorrectionMethod.Bonferroni, 0.05, 0.5, false, [], TimeSpan.Zero);

        // Window has no scope: written before the field existed, which means a stream window.
        var detection = DetectionMessages.Detection(Prepared(events), outcome, new DetectorOptions(), DateTimeOffset.UnixEpoch);

        Assert.Equal(WindowScopes.Stream, detection.Scope);
        Assert.Equal(["s"], detection.StreamIds);
    }
}
