namespace Streaming.Detection;

/// <summary>
/// At most <see cref="Capacity"/> values by key, the least recently used out first: the bound of the
/// per-event caches (<see cref="CrossSumCache"/>, <see cref="Decision.EventEvidenceCache"/>). Not
/// thread-safe; its owner serialises.
/// </summary>
internal sealed class LruIndex<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _index = [];
    private readonly LinkedList<(TKey Key, TValue Value)> _recent = new();   // most recent first

    public LruIndex(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count => _index.Count;

    /// <summary>The value of <paramref name="key"/>, now the most recently used; false when none is held.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        if (!_index.TryGetValue(key, out var node))
        {
            value = default!;
            return false;
        }
        _recent.Remove(node);
        _recent.AddFirst(node);
        value = node.Value.Value;
        return true;
    }

    /// <summary>Holds <paramref name="value"/> for <paramref name="key"/> (replacing any), as the most recently used; drops the least recently used past Capacity.</summary>
    public void Add(TKey key, TValue value)
    {
        if (_index.Remove(key, out var old))
            _recent.Remove(old);
        _index[key] = _recent.AddFirst((key, value));
        while (_index.Count > Capacity)
        {
            var last = _recent.Last!;
            _recent.RemoveLast();
            _index.Remove(last.Value.Key);
        }
    }
}
