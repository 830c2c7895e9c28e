using Streaming.Detection.Scanning;
using Streaming.Detection.Scoring;

namespace Streaming.Detection.Decision;

/// <summary>
/// What one event contributes to every window that holds it, computed once: its per-input score and
/// its scan level row, with the exact input they were computed from (its vectors, kept rather than
/// copied since a prepared window's vectors are never written, and its predicted class), so that a hit
/// is only taken for bit-identical input. Immutable.
/// </summary>
internal sealed class CachedEvent(float[][] vectors, int? predictedClass, InputScore? score, bool scanned, ScanRow? row)
{
    /// <summary>Null when no scorer ran.</summary>
    public InputScore? Score { get; } = score;

    /// <summary>Whether the scan's level row was computed (the window had a scanner and at least two events).</summary>
    public bool Scanned { get; } = scanned;

    /// <summary>The level row; null when the event's class is unknown to a conditional scanner.</summary>
    public ScanRow? Row { get; } = row;

    /// <summary>Whether this entry was computed from exactly these vectors (bit for bit) and this class.</summary>
    public bool Matches(IReadOnlyList<float[]> eventVectors, int? eventClass) =>
        eventClass == predictedClass && BitIdentical.Vectors(vectors, eventVectors);
}
