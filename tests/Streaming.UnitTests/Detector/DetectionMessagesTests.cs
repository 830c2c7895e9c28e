using Streaming.Contracts;
using Streaming.Detection;
using Streaming.Detector;

namespace Streaming.UnitTests.Detector;

public sealed class DetectionMessagesTests
{
    [Theory]
    [InlineData(0.0004, "high")]
    [InlineData(0.004, "medium")]
    [InlineData(0.04, "low")]
    public void Severity_ByDistanceBelowAlpha(double p, string expected)
    {
        Assert.Equal(expected, DetectionMessages.Severity(p, 0.05));
    }

    [Fact]
    public void Alert_CarriesRejectedLayersTopEventsAndWindowDerivedId()
    {
        var window = new WindowReady
        {
            Header = new EventHeader { SchemaVersion = 1, EventId = "w", Model = "m", ModelVersion = "1", StreamId = "s" },
            WindowId = "m/s/7",
            LastEventTimestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
        };
        var events = Enumerable.Range(0, 4).Select(i => new ActivationEvent
        {
            Header = new EventHeader { EventId = "e" + i, Model = "m", StreamId = "s" },
            Attributes = { ["attack"] = i < 3 ? "fgsm" : "none" },
        }).ToList();
        var outcome = new WindowTestOutcome(
            [new LayerTestOutcome("conv1", 0.01, 0.3, false), new LayerTestOutcome("fc1", 0.5, 0.002, true)],
            CorrectionMethod.Bonferroni, 0.05, 0.004, true, [2, 0, 1, 3], TimeSpan.FromMilliseconds(3));
        var options = new DetectorOptions { TopK = 2, Permutations = 499 };

        var alert = DetectionMessages.Alert(window, events, outcome, options, DateTimeOffset.UnixEpoch);
        var detection = DetectionMessages.Detection(window, events, outcome, options, DateTimeOffset.UnixEpoch);

        Assert.Equal("alert:m/s/7", alert.AlertId);
        Assert.Equal(["fc1"], alert.RejectedLayers);
        Assert.Equal(["e2", "e0"], alert.TopEventIds);
        Assert.Equal("medium", alert.Severity);
        Assert.True(detection.Alert);
        Assert.Equal(0.75, detection.AttackShare);
        Assert.Equal(2, detection.Layers.Count);
        Assert.All(detection.Layers, l => Assert.Equal(499u, l.Permutations));
    }
}
