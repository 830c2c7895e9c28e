using Streaming.Detection.Online;

namespace Streaming.Detector.Online;

/// <summary>One stream's online detector and the ids of the events in its window (null where the window still holds initial clean vectors).</summary>
internal sealed class OnlineStream(OnlineMmdDetector detector, int windowSize)
{
    private readonly Queue<string> _eventIds = new(windowSize);

    public OnlineMmdDetector Detector { get; } = detector;

    public DateTimeOffset LastSeen { get; set; }

    public void Record(string eventId)
    {
        if (_eventIds.Count == windowSize) _eventIds.Dequeue();
        _eventIds.Enqueue(eventId);
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
