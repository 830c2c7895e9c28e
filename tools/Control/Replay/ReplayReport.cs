namespace Streaming.Control.Replay;

/// <summary>
/// Summary of a replay. With ground truth in the events' attributes, a window counts as attacked
/// when any of its events is; TPR = alerts among attacked windows, FPR = alerts among clean ones.
/// </summary>
public sealed record ReplayReport(
    long Events,
    int Windows,
    int Alerts,
    int AttackedWindows,
    int CleanWindows,
    double? TruePositiveRate,
    double? FalsePositiveRate,
    int TimestampFallbacks,
    IReadOnlyList<ReplayWindow> Results);
