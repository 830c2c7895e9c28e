using Streaming.Contracts;

namespace Streaming.Control.RedTeam;

/// <summary>What the red team reads out of an alert to score it against the ground truth.</summary>
public static class AlertEvidence
{
    /// <summary>What <see cref="FlaggedEventIds"/> reads, for the report.</summary>
    public const string Description = "top_event_ids (each alert's top-k events by witness score)";

    /// <summary>
    /// The events an alert names as adversarial. Today: its top-k events by witness score
    /// (<c>top_event_ids</c>); once alerts list their suspicious events with a <c>flagged</c> marker, the
    /// flagged ones. The only place that decides it.
    /// </summary>
    public static IReadOnlyList<string> FlaggedEventIds(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return [.. alert.TopEventIds];
    }
}
