namespace Streaming.Console.History;

/// <summary>A stream's current state: its last window's decision and its counts.</summary>
/// <param name="AlertWindows">Windows whose test rejected (the detection's own flag).</param>
/// <param name="Alerts">Alerts received on the alerts topic (after the detector's alert policy).</param>
public sealed record StreamState(
    string Model,
    string Stream,
    long Windows,
    long AlertWindows,
    long Alerts,
    string LastWindowId,
    double? LastPValue,
    bool LastAlert,
    string LastStatus,
    DateTimeOffset LastAt,
    double Alpha);
