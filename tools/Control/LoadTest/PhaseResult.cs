namespace Streaming.Control.LoadTest;

/// <summary>
/// One phase's outcome. <see cref="SentRate"/> is what the generator delivered per second of the phase;
/// <see cref="ProcessedRate"/> what the pipeline windowed and tested: the events its detections cover over
/// the time from the phase's start to the arrival of its last detection (equal to the offered rate less a
/// latency's worth when the pipeline keeps up, lower when it falls behind). Detection latency is per window
/// (detection arrival minus the timestamp of the event that completed it); <see cref="Stages"/> splits it (see
/// <see cref="LatencyBreakdown"/>) and <see cref="SlowestAtSeconds"/> says when in the phase the slowest windows came.
/// </summary>
public sealed record PhaseResult(
    string Name,
    string Stream,
    double OfferedRate,
    double AttackShare,
    long Sent,
    double SentRate,
    double ProcessedRate,
    int Windows,
    int Alerts,
    double AlertRate,
    double DetectionLatencyP50Ms,
    double DetectionLatencyP99Ms,
    double? TimeToFirstAlertMs,
    IReadOnlyList<StageLatency> Stages,
    IReadOnlyList<double> SlowestAtSeconds)
{
    /// <summary>Items of a stream of <paramref name="sent"/> that <paramref name="windows"/> windows of size/slide cover.</summary>
    public static long Covered(long sent, int windows, int size, int slide) =>
        windows <= 0 ? 0 : Math.Min(sent, size + (long)(windows - 1) * slide);
}
