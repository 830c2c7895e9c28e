namespace Streaming.Detection.Decision;

/// <summary>
/// Per-event evidence (per-input score, scan level row) of the most recently used
/// <see cref="Capacity"/> events of one reference, by <see cref="EventKey"/>. Every event is in
/// several windows (two overlapping windows of its stream at slide = size/2, and as many of its
/// model's window), and what it contributes does not depend on the window, so it is computed once
/// and reused. Bounded: least recently used first out, so memory is at most Capacity entries (for the
/// small CNN about 1.7 KB each). A hit is taken only when the event's vectors and class are
/// bit-identical to those the entry was computed from (<see cref="CachedEvent.Matches"/>), so a
/// reused result is always the one recomputing would give; anything else is a miss and replaces it.
/// Thread-safe.
/// </summary>
public sealed class EventEvidenceCache
{
    private readonly LruIndex<EventKey, CachedEvent> _entries;
    private readonly Lock _gate = new();
    private long _hits;
    private long _misses;

    public EventEvidenceCache(int capacity) => _entries = new LruIndex<EventKey, CachedEvent>(capacity);

    public int Capacity => _entries.Capacity;

    public int Count
    {
        get
        {
            lock (_gate) return _entries.Count;
        }
    }

    /// <summary>Lookups answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that computed (absent, evicted, other input under the same key, or a part not computed before).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    internal CachedEvent? Find(EventKey key, IReadOnlyList<float[]> vectors, int? predictedClass, bool needsRow)
    {
        lock (_gate)
        {
            if (_entries.TryGet(key, out var entry) && entry.Matches(vectors, predictedClass) && (entry.Scanned || !needsRow))
            {
                _hits++;
                return entry;
            }
            _misses++;
            return null;
        }
    }

    internal void Add(EventKey key, CachedEvent entry)
    {
        lock (_gate)
            _entries.Add(key, entry);
    }
}
