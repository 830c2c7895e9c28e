namespace Streaming.Detection.Scanning;

/// <summary>
/// Null distributions by window size, built on first use and kept for the most recently used
/// <see cref="Capacity"/> sizes. The scan score grows with the number of events scanned (more
/// subsets to maximise over), and no closed form relates the null of one size to another, so a
/// window of another size (time-flushed, or with dropped events) gets its own exact null rather
/// than the full-size one, which would be conservative for smaller windows and anti-conservative
/// for larger ones. The first window of a new size pays the build (see the benchmark figures);
/// <see cref="Prepare"/> builds expected sizes ahead. Thread-safe; a build holds the lock.
/// </summary>
public sealed class ScanNullCache
{
    private readonly SubsetScanner _scanner;
    private readonly IReadOnlyList<float[][]> _heldOut;
    private readonly IReadOnlyList<int>? _heldOutGroups;
    private readonly ScanNullOptions _options;
    private readonly LinkedList<ScanNull> _recent = new();   // most recent first
    private readonly Lock _gate = new();

    /// <param name="heldOut">Per scanner layer: clean held-out vectors, disjoint from the scanner's background.</param>
    /// <param name="capacity">Most window sizes kept.</param>
    /// <param name="heldOutGroups">For a conditional scanner: the background group of every held-out input.</param>
    public ScanNullCache(SubsetScanner scanner, IReadOnlyList<float[][]> heldOut, ScanNullOptions? options = null, int capacity = 8, IReadOnlyList<int>? heldOutGroups = null)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        ArgumentNullException.ThrowIfNull(heldOut);
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The cache must hold at least one window size.");
        }
        _options = options ?? new ScanNullOptions();
        _options.Validate();
        _scanner = scanner;
        _heldOut = heldOut;
        _heldOutGroups = heldOutGroups;
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Window sizes held now, most recently used first.</summary>
    public IReadOnlyList<int> Sizes
    {
        get
        {
            lock (_gate)
            {
                return [.. _recent.Select(n => n.WindowSize)];
            }
        }
    }

    /// <summary>The null for windows of <paramref name="windowSize"/> events, built now if not held.</summary>
    public ScanNull For(int windowSize, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            for (var node = _recent.First; node is not null; node = node.Next)
            {
                if (node.Value.WindowSize == windowSize)
                {
                    _recent.Remove(node);
                    _recent.AddFirst(node);
                    return node.Value;
                }
            }
            var built = ScanNull.Build(_scanner, _heldOut, windowSize, _options, cancellationToken, _heldOutGroups);
            _recent.AddFirst(built);
            while (_recent.Count > Capacity)
            {
                _recent.RemoveLast();
            }
            return built;
        }
    }

    /// <summary>Builds the nulls of the given sizes now (e.g. the configured window size at start).</summary>
    public void Prepare(IEnumerable<int> windowSizes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(windowSizes);
        foreach (int size in windowSizes)
        {
            For(size, cancellationToken);
        }
    }

    /// <summary>The scan's p-value of a window: scans it and compares with the null of its size.</summary>
    /// <param name="groups">For a conditional scanner: every event's background group.</param>
    public (ScanResult Result, double PValue) ScanWithPValue(IReadOnlyList<float[][]> windowLayers, IReadOnlyList<int>? groups = null, CancellationToken cancellationToken = default)
    {
        var result = _scanner.Scan(windowLayers, groups);
        return (result, For(windowLayers[0].Length, cancellationToken).PValue(result.Score));
    }

    /// <summary>The scan's p-value of a window given as its events' level rows (<see cref="SubsetScanner.EventLevels"/>).</summary>
    public (ScanResult Result, double PValue) ScanWithPValue(IReadOnlyList<ScanRow> rows, CancellationToken cancellationToken = default)
    {
        var result = _scanner.ScanLevels(rows);
        return (result, For(rows.Count, cancellationToken).PValue(result.Score));
    }
}
