namespace Streaming.Detection;

/// <summary>
/// Precomputed nulls of the window MMD² per window size, for every layer: <c>windows</c> clean
/// windows of m distinct calibration-pool vectors, drawn with a seeded generator (the same input
/// rows in every layer, as a live window holds the same inputs in every layer). Built on first use
/// of a size (lookups only: tens of milliseconds) and kept for the most recently used
/// <c>capacity</c> sizes, so a time-flushed partial window gets the null of its own size rather
/// than the full-size one, and the cache stays bounded whatever sizes arrive. A size larger than the
/// pool has no null (<see cref="For"/> answers null) and the caller falls back to permutations.
/// Not thread-safe: <see cref="WindowTester"/> serialises its callers.
/// </summary>
internal sealed class CalibrationNullCache
{
    private readonly CalibrationPool[] _pools;
    private readonly int _windows;
    private readonly int _capacity;
    private readonly ulong _seed;
    private readonly LinkedList<(int WindowCount, float[][] Nulls)> _recent = new();   // most recent first

    public CalibrationNullCache(CalibrationPool[] pools, int windows, int capacity, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentOutOfRangeException.ThrowIfLessThan(windows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _pools = pools;
        _windows = windows;
        _capacity = capacity;
        _seed = seed;
        PoolCount = pools.Min(p => p.Count);
    }

    /// <summary>Calibration vectors windows are drawn from; the largest window size with a null.</summary>
    public int PoolCount { get; }

    /// <summary>Window sizes held now, most recently used first.</summary>
    public IReadOnlyList<int> Sizes => [.. _recent.Select(e => e.WindowCount)];

    /// <returns>Per layer, the null statistics of windows of <paramref name="windowCount"/>; null when the pool is too small.</returns>
    public float[][]? For(int windowCount)
    {
        if (windowCount < 2 || windowCount > PoolCount)
        {
            return null;
        }
        for (var node = _recent.First; node is not null; node = node.Next)
        {
            if (node.Value.WindowCount == windowCount)
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                return node.Value.Nulls;
            }
        }

        var nulls = Build(windowCount);
        _recent.AddFirst((windowCount, nulls));
        if (_recent.Count > _capacity)
        {
            _recent.RemoveLast();
        }
        return nulls;
    }

    private float[][] Build(int windowCount)
    {
        var nulls = new float[_pools.Length][];
        for (int layer = 0; layer < _pools.Length; layer++)
        {
            nulls[layer] = new float[_windows];
        }
        // One generator per size: the null of a size does not depend on which sizes came before it.
        var random = CalibrationSample.Random(unchecked(_seed + (ulong)windowCount * 0x9E3779B97F4A7C15UL));
        var order = new int[PoolCount];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        for (int w = 0; w < _windows; w++)
        {
            // Partial Fisher–Yates: the first m entries become a uniform subset of m distinct pool rows.
            for (int i = 0; i < windowCount; i++)
            {
                int j = random.Next(i, order.Length);
                (order[i], order[j]) = (order[j], order[i]);
            }
            var members = order.AsSpan(0, windowCount);
            for (int layer = 0; layer < _pools.Length; layer++)
            {
                nulls[layer][w] = _pools[layer].Statistic(members);
            }
        }
        return nulls;
    }
}
