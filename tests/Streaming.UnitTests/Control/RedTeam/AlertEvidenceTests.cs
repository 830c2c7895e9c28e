using Streaming.Contracts;
using Streaming.Control.RedTeam;

namespace Streaming.UnitTests.Control.RedTeam;

public sealed class AlertEvidenceTests
{
    [Fact]
    public void FlaggedEventIds_AlertWithPerInputScores_TheFlaggedSuspiciousEvents()
    {
        var alert = new Alert { InputPValue = 0.001, TopEventIds = { "t-1" } };
        alert.SuspiciousEvents.Add(new SuspiciousEvent { EventId = "e-1", Flagged = true });
        alert.SuspiciousEvents.Add(new SuspiciousEvent { EventId = "e-2", Flagged = false });
        alert.SuspiciousEvents.Add(new SuspiciousEvent { EventId = "e-3", Flagged = true });

        Assert.Equal(["e-1", "e-3"], AlertEvidence.FlaggedEventIds(alert));
    }

    [Fact]
    public void FlaggedEventIds_AlertWithoutPerInputScores_TopEvents() =>
        Assert.Equal(["t-1", "t-2"], AlertEvidence.FlaggedEventIds(new Alert { TopEventIds = { "t-1", "t-2" } }));
}
