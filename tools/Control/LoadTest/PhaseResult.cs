namespace Streaming.Control.LoadTest;

/// <summary>One phase's outcome; detection latency is per window (detection arrival minus its last event's request time).</summary>
public sealed record PhaseResult(
    string Name,
    string Stream,
    double OfferedRate,
    double AttackShare,
    int Windows,
    int Alerts,
    double AlertRate,
    double DetectionLatencyP50Ms,
    double DetectionLatencyP99Ms,
    double? TimeToFirstAlertMs);
