namespace Streaming.Detector.References;

/// <summary>
/// Items by key within a budget of bytes, the least recently used evicted (and disposed) first when
/// an addition goes over it. The item just added is never evicted, so one larger than the whole
/// budget is still served, alone. Not thread-safe: the Detector's one consumer thread uses it.
/// </summary>
public sealed class MemoryLru<T>(long budgetBytes, Func<T, long> size) : IDisposable
    where T : IDisposable
{
    private readonly LinkedList<(string Key, T Item, long Bytes)> _order = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, T Item, long Bytes)>> _nodes = new(StringComparer.Ordinal);

    public long BudgetBytes { get; } = budgetBytes > 0 ? budgetBytes : throw new ArgumentOutOfRangeException(nameof(budgetBytes), budgetBytes, "The budget must be positive.");

    public long Bytes { get; private set; }

    public int Count => _nodes.Count;

    public IEnumerable<string> Keys => _order.Select(n => n.Key);

    /// <summary>The item of <paramref name="key"/>, now the most recently used; null when absent.</summary>
    public T? Get(string key)
    {
        if (!_nodes.TryGetValue(key, out var node)) return default;
        _order.Remove(node);
        _order.AddFirst(node);
        return node.Value.Item;
    }

    /// <summary>Adds <paramref name="item"/> as the most recently used and evicts others until the budget holds.</summary>
    /// <returns>Keys of the evicted items, least recently used first.</returns>
    public IReadOnlyList<string> Add(string key, T item)
    {
        ArgumentNullException.ThrowIfNull(key);
        Remove(key);
        var bytes = size(item);
        _nodes[key] = _order.AddFirst((key, item, bytes));
        Bytes += bytes;
        var evicted = new List<string>();
        while (Bytes > BudgetBytes && _order.Last is { } last && last.Value.Key != key)
        {
            evicted.Add(last.Value.Key);
            Remove(last.Value.Key);
        }
        return evicted;
    }

    /// <summary>Evicts every item whose key <paramref name="remove"/> accepts.</summary>
    /// <returns>Keys of the evicted items.</returns>
    public IReadOnlyList<string> RemoveWhere(Func<string, bool> remove)
    {
        var keys = _nodes.Keys.Where(remove).ToArray();
        foreach (var key in keys) Remove(key);
        return keys;
    }

    public void Dispose()
    {
        foreach (var key in _nodes.Keys.ToArray()) Remove(key);
    }

    private void Remove(string key)
    {
        if (!_nodes.Remove(key, out var node)) return;
        _order.Remove(node);
        Bytes -= node.Value.Bytes;
        node.Value.Item.Dispose();
    }
}
