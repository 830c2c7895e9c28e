using Streaming.Detection.Online;

namespace Streaming.Detector.Online;

/// <summary>
/// One stream's online detector, the ids of the events in its window (fewer than W while the window
/// still holds initial clean vectors) and the Kafka position of the last event it applied.
/// </summary>
internal sealed class OnlineStream(OnlineMmdDetector detector, int windowSize)
{
    private readonly Queue<string> _eventIds = new(windowSize);

    public OnlineMmdDetector Detector { get; } = detector;

    public DateTimeOffset LastSeen { get; set; }

    /// <summary>Partition of the last event applied, -1 before the first.</summary>
    public int Partition { get; private set; } = -1;

    public long Offset { get; private set; } = -1;

    /// <summary>A stream rebuilt from its stored state: the detector restored, the window's event ids and the position.</summary>
    public static OnlineStream Restore(OnlineMmdModel model, StoredOnlineStream stored)
    {
        var detector = model.CreateDetector();
        detector.Restore(stored.Step, [.. stored.Window.Select(e => e.Vectors)]);
        var stream = new OnlineStream(detector, model.Options.WindowSize) { Partition = stored.Partition, Offset = stored.Offset };
        foreach (var (eventId, _) in stored.Window)
            stream._eventIds.Enqueue(eventId);
        return stream;
    }

    /// <summary>
    /// True when the event at this position is already in the state: Kafka delivers again what came
    /// after the last committed offset, and the stored state may be ahead of it. A stream's events stay
    /// on one partition (keyed by stream id), so a later offset there is a new event.
    /// </summary>
    public bool HasApplied(int partition, long offset) => partition == Partition && offset <= Offset;

    public void Record(string eventId, int partition, long offset)
    {
        if (_eventIds.Count == windowSize) _eventIds.Dequeue();
        _eventIds.Enqueue(eventId);
        Partition = partition;
        Offset = offset;
    }

    /// <summary>The event ids of the window, ranked by witness score (oldest-first scores, as the detector reports them).</summary>
    public IEnumerable<string> RankByWitness(IReadOnlyList<double> witness)
    {
        var ids = _eventIds.ToArray();
        int offset = witness.Count - ids.Length; // positions before it hold initial clean vectors
        return Enumerable.Range(0, ids.Length)
            .OrderByDescending(i => witness[offset + i])
            .Select(i => ids[i]);
    }

    public void Restart() => _eventIds.Clear();
}
