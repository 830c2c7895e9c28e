using Streaming.Contracts;
using Streaming.WindowStore;

namespace Streaming.UnitTests.WindowStore;

public sealed class WindowIdsTests
{
    [Fact]
    public void OfModel_SameEvents_DiffersFromTheStreamWindowAndPassesTheDerivedIdRules()
    {
        string[] ids = ["e1", "e2", "e3"];

        var stream = WindowIds.Of("small-cnn", "cam-1", ids);
        var model = WindowIds.OfModel("small-cnn", ids.Select(id => ("cam-1", id)));

        Assert.NotEqual(stream, model);
        Assert.StartsWith("small-cnn/__model/", model, StringComparison.Ordinal);
        Assert.Equal(WindowIds.DigestHexDigits, model.Length - "small-cnn/__model/".Length);
        // Detections and alerts use it as (part of) their event id.
        Assert.True(Streaming.Contracts.Validation.EventRules.IsEventId("alert:" + model, Streaming.Contracts.Validation.EventRules.MaxDerivedIdLength));
    }

    [Fact]
    public void OfModel_SameEventIdsFromOtherStreams_GivesAnotherId()
    {
        var a = WindowIds.OfModel("m", [("cam-1", "e1"), ("cam-2", "e2")]);
        var b = WindowIds.OfModel("m", [("cam-2", "e1"), ("cam-1", "e2")]);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void OfModel_IsTheDigestOfTheMembersStreamSlashEventId()
    {
        var id = WindowIds.OfModel("m", [("cam-1", "e1"), ("cam-2", "x/y")]);

        Assert.Equal($"m/{WindowScopes.ModelWideStreamId}/" + WindowIds.Digest(["cam-1/e1", "cam-2/x/y"]), id);
        Assert.Equal("cam-2/x/y", WindowIds.ModelWideMember("cam-2", "x/y"));
    }

    [Fact]
    public void OfModel_OrderMatters()
    {
        Assert.NotEqual(
            WindowIds.OfModel("m", [("a", "1"), ("b", "1")]),
            WindowIds.OfModel("m", [("b", "1"), ("a", "1")]));
    }
}
