using Streaming.Alerting.Rules;
using Streaming.Contracts;

namespace Streaming.UnitTests.Alerting;

public sealed class AlertRouterTests
{
    [Theory]
    [InlineData("mnist-cnn", "tenant-a", "conv2", "high", true)]
    [InlineData("other-model", "tenant-a", "conv2", "high", false)]
    [InlineData("mnist-cnn", "tenant-b", "conv2", "high", false)]
    [InlineData("mnist-cnn", "tenant-a", "fc1", "high", false)]
    [InlineData("mnist-cnn", "tenant-a", "conv2", "low", false)]
    [InlineData("mnist-cnn", "tenant-a", "conv2", "medium", true)]
    public void Matches_FiltersOnModelStreamLayerAndSeverity(string model, string stream, string layer, string severity, bool expected)
    {
        var rule = new AlertRule { Name = "r", Models = ["mnist-cnn"], Streams = ["tenant-a"], Layers = ["conv2", "conv3"], MinSeverity = "medium", Targets = ["ops"] };
        var alert = new Alert
        {
            Header = new EventHeader { Model = model, StreamId = stream },
            AlertId = "a-1",
            RejectedLayers = { layer },
            Severity = severity,
        };

        Assert.Equal(expected, AlertRouter.Matches(rule, alert));
    }

    [Fact]
    public void Matches_EmptyFilters_MatchAnyAlert()
    {
        var rule = new AlertRule { Name = "r", Targets = ["ops"] };

        Assert.True(AlertRouter.Matches(rule, new Alert { Header = new EventHeader(), AlertId = "a", Severity = "" }));
    }

    [Theory]
    [InlineData("adversarial", true)]
    [InlineData("shift", false)]
    [InlineData("", false)]
    [InlineData("bogus", false)]
    public void Matches_KindsFilter_MatchesTheAlertsKind(string kind, bool expected)
    {
        var rule = new AlertRule { Name = "security", Kinds = ["adversarial"], Targets = ["sec"] };

        Assert.Equal(expected, AlertRouter.Matches(rule, new Alert { Header = new EventHeader(), AlertId = "a", Severity = "high", Kind = kind }));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("bogus", true)]
    [InlineData("shift", false)]
    public void Matches_UnknownKind_MatchesAlertsWithoutAKnownKind(string kind, bool expected)
    {
        var rule = new AlertRule { Name = "rest", Kinds = ["unknown"], Targets = ["ops"] };

        Assert.Equal(expected, AlertRouter.Matches(rule, new Alert { Header = new EventHeader(), AlertId = "a", Severity = "high", Kind = kind }));
    }
}
