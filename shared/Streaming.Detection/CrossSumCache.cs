using Streaming.Detection.Decision;

namespace Streaming.Detection;

/// <summary>
/// Per event, its cross-kernel sums against the reference (Σ_r k(x_r, y), one float32 per layer,
/// <see cref="ObservedLayerStatistics.EventCrossSums"/> or <see cref="HostCrossSums"/>) for the most recently used
/// <see cref="Capacity"/> events, by <see cref="EventKey"/>. Against a precomputed null those sums
/// are most of a window's cost, and every event is in about four windows (two of its stream at
/// slide = size/2, two of its model's), so each is computed once. A hit is taken only when the
/// event's vectors are bit-identical to those the entry was computed from, so a reused sum is
/// always the one recomputing would give; anything else is a miss and replaces it. Bounded: least
/// recently used first out, at most Capacity entries (the sums and the vectors they were computed from:
/// for the small CNN about 1 KB each). Not thread-safe: its <see cref="WindowTester"/>'s caller serialises.
/// </summary>
public sealed class CrossSumCache
{
    private readonly LruIndex<EventKey, Entry> _entries;

    public CrossSumCache(int capacity) => _entries = new LruIndex<EventKey, Entry>(capacity);

    public int Capacity => _entries.Capacity;

    public int Count => _entries.Count;

    /// <summary>Event reads whose sums were not computed: from the cache, or from the same event earlier in the same call.</summary>
    public long Hits { get; private set; }

    /// <summary>Events computed (absent, evicted, or other vectors under the same key).</summary>
    public long Misses { get; private set; }

    /// <summary>The event's sums per layer when they were computed from exactly <paramref name="vectors"/>; null otherwise.</summary>
    internal float[]? Find(EventKey key, IReadOnlyList<float[]> vectors)
    {
        if (_entries.TryGet(key, out var entry) && BitIdentical.Vectors(entry.Vectors, vectors))
        {
            Hits++;
            return entry.Sums;
        }
        Misses++;
        return null;
    }

    /// <summary>Counts an event read answered by the same event earlier in the same call (not yet added).</summary>
    internal void CountReuse() => Hits++;

    /// <param name="vectors">The event's vectors per layer: kept, not copied (a prepared window's vectors are never written after they are read from the event).</param>
    internal void Add(EventKey key, IReadOnlyList<float[]> vectors, float[] sums) =>
        _entries.Add(key, new Entry([.. vectors], sums));

    private sealed record Entry(float[][] Vectors, float[] Sums);
}
