namespace Streaming.Control.Replay;

/// <summary>One replayed window's result.</summary>
public sealed record ReplayWindow(
    string WindowId,
    string Stream,
    long Sequence,
    DateTimeOffset LastEventTimestamp,
    double CombinedPValue,
    bool Alert,
    double AttackShare,
    IReadOnlyDictionary<string, double> LayerPValues);
