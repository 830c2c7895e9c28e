using Streaming.Contracts;

namespace Streaming.Control.RedTeam;

/// <summary>What the red team reads out of an alert to score it against the ground truth.</summary>
public static class AlertEvidence
{
    /// <summary>What <see cref="FlaggedEventIds"/> reads, for the report.</summary>
    public const string Description = "suspicious_events marked flagged (Benjamini-Hochberg over each window's per-input p-values); top_event_ids when an alert has no per-input scores";

    /// <summary>
    /// The events an alert names as adversarial: its suspicious events marked <c>flagged</c>; for an
    /// alert without per-input scores (a reference without a calibration split), its top-k events by
    /// witness score (<c>top_event_ids</c>). The only place that decides it.
    /// </summary>
    public static IReadOnlyList<string> FlaggedEventIds(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.HasInputPValue
            ? [.. alert.SuspiciousEvents.Where(e => e.Flagged).Select(e => e.EventId)]
            : [.. alert.TopEventIds];
    }
}
