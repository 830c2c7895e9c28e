using Streaming.Detection.Compute;

namespace Streaming.Detection.Scanning;

/// <summary>
/// Subset scanning over activations (Cintas et al., IJCAI 2020; McFowland, Speakman and Neill 2013):
/// every activation of a window gets an empirical p-value against its node's clean background, and
/// the scan finds the subset of events × nodes whose p-values are most jointly surprising under a
/// non-parametric scan statistic, maximised over thresholds α ≤ α_max. The nodes of all layers are
/// scanned together, so a subset may span layers. The background must not overlap the data the
/// null (<see cref="ScanNull"/>) is simulated from, or the null p-values come out too large.
/// Immutable after construction; <see cref="Scan(IReadOnlyList{float[][]})"/> is thread-safe.
/// </summary>
public sealed class SubsetScanner
{
    private readonly LayerBackground[][] _groups;   // group → layers; one group unless class-conditional
    private readonly LayerBackground[] _layers;     // the first group's, for names and dimensions
    private readonly int[] _offsets;
    private readonly ThresholdGrid _grid;

    public SubsetScanner(IReadOnlyList<LayerBackground> layers, SubsetScanOptions? options = null)
        : this([layers], options)
    {
    }

    /// <summary>
    /// A conditional scanner: every event's p-values come from the background of its group (for
    /// example its predicted class), so structure shared by clean members of a group (class
    /// features) does not look anomalous. Every group has the same layers in the same order.
    /// </summary>
    public SubsetScanner(IReadOnlyList<IReadOnlyList<LayerBackground>> backgroundsByGroup, SubsetScanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(backgroundsByGroup);
        Options = options ?? new SubsetScanOptions();
        Options.Validate();
        if (backgroundsByGroup.Count == 0 || backgroundsByGroup[0] is null || backgroundsByGroup[0].Count == 0)
        {
            throw new ArgumentException("A subset scanner needs at least one background layer.", nameof(backgroundsByGroup));
        }
        _groups = new LayerBackground[backgroundsByGroup.Count][];
        _layers = [.. backgroundsByGroup[0]];
        _offsets = new int[_layers.Length + 1];
        for (int l = 0; l < _layers.Length; l++)
        {
            ArgumentNullException.ThrowIfNull(_layers[l], $"layers[{l}]");
            _offsets[l + 1] = checked(_offsets[l] + _layers[l].Dimension);
        }
        for (int g = 0; g < _groups.Length; g++)
        {
            var group = backgroundsByGroup[g] ?? throw new ArgumentException($"Background group {g} is null.", nameof(backgroundsByGroup));
            if (group.Count != _layers.Length || group.Select((b, l) => b is not null && b.Layer == _layers[l].Layer && b.Dimension == _layers[l].Dimension).Any(same => !same))
            {
                throw new ArgumentException(
                    $"Background group {g} must have the layers of group 0 in the same order ({string.Join(", ", _layers.Select(l => $"{l.Layer} {l.Dimension}"))}).",
                    nameof(backgroundsByGroup));
            }
            _groups[g] = [.. group];
        }
        _grid = new ThresholdGrid([.. _groups.SelectMany(g => g)], Options);
    }

    /// <summary>Background groups (1 unless the scanner is conditional).</summary>
    public int GroupCount => _groups.Length;

    /// <summary>A scanner whose background is every vector of the given reference layers.</summary>
    public static SubsetScanner FromReferences(IEnumerable<LayerReference> layers, SubsetScanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        return new SubsetScanner([.. layers.Select(l => new LayerBackground(l.Layer, l.Vectors, l.Count, l.Dimension))], options);
    }

    public SubsetScanOptions Options { get; }

    public IReadOnlyList<LayerBackground> Layers => _layers;

    /// <summary>Nodes over all layers.</summary>
    public int NodeCount => _offsets[^1];

    /// <summary>The thresholds α evaluated, ascending.</summary>
    public IReadOnlyList<double> Alphas => _grid.Alphas;

    /// <summary>Scans a window given by layer name (every scanner layer must be present; others are ignored).</summary>
    public ScanResult Scan(IReadOnlyDictionary<string, float[][]> window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var ordered = new float[_layers.Length][][];
        for (int l = 0; l < _layers.Length; l++)
        {
            if (!window.TryGetValue(_layers[l].Layer, out var vectors) || vectors is null)
            {
                throw new ArgumentException($"Window lacks layer '{_layers[l].Layer}', which the scanner requires.", nameof(window));
            }
            ordered[l] = vectors;
        }
        return Scan(ordered);
    }

    /// <param name="windowLayers">Per scanner layer, in order: the window's vectors, one per event (event i is the same input in every layer).</param>
    public ScanResult Scan(IReadOnlyList<float[][]> windowLayers) => Scan(windowLayers, null);

    /// <param name="groups">Per event, the background group its p-values come from; null when the scanner has one group.</param>
    public ScanResult Scan(IReadOnlyList<float[][]> windowLayers, IReadOnlyList<int>? groups)
    {
        return Search(Levels(windowLayers, groups));
    }

    private ScanResult Search(LevelMatrix matrix)
    {
        var (score, level, events, nodes) = SubsetAscent.Run(matrix, Options.Statistic, Options.Restarts, Options.MaxIterations, Options.Seed);
        if (level < 0)
        {
            return new ScanResult(0, Options.AlphaMax, [], []);
        }
        return new ScanResult(score, _grid.Alphas[level], events, [.. nodes.Select(Node)]);
    }

    /// <summary>
    /// One event's row of the level matrix <see cref="Scan(IReadOnlyList{float[][]}, IReadOnlyList{int}?)"/>
    /// builds: each node's empirical p-value against the background of <paramref name="group"/>,
    /// reduced to its threshold level. It depends on the event alone, never on the window, so a caller
    /// that sees the event in several windows computes it once (<see cref="ScanLevels"/>).
    /// </summary>
    /// <param name="eventLayers">Per scanner layer, in order, the event's vector.</param>
    public ScanRow EventLevels(IReadOnlyList<float[]> eventLayers, int group = 0)
    {
        ArgumentNullException.ThrowIfNull(eventLayers);
        if (eventLayers.Count != _layers.Length)
        {
            throw new ArgumentException(
                $"Event has {eventLayers.Count} layer(s); the scanner has {_layers.Length} ({string.Join(", ", _layers.Select(l => l.Layer))}).",
                nameof(eventLayers));
        }
        if ((uint)group >= (uint)_groups.Length)
        {
            throw new ArgumentException($"The event has group {group}; the scanner has groups 0..{_groups.Length - 1}.", nameof(group));
        }
        var levels = new byte[NodeCount];
        for (int l = 0; l < _layers.Length; l++)
        {
            var row = eventLayers[l];
            ValidateRow(l, row, $"Event layer '{_layers[l].Layer}'", nameof(eventLayers));
            FillLevels(group, l, row, levels.AsSpan(_offsets[l], _layers[l].Dimension));
        }
        return new ScanRow(levels);
    }

    /// <summary>What a device backend needs to compute <see cref="EventLevels"/> (<see cref="IScanLevelBackend.Load"/>).</summary>
    internal ScanLevelModel DeviceModel() => new(
        [.. _layers.Select(l => l.Dimension)],
        _groups.Length,
        [.. _groups.SelectMany(g => g.Select(b => b.Count))],
        [.. _groups.SelectMany(g => g.Select(b => b.SortedColumns))],
        [.. Enumerable.Range(0, _groups.Length * _layers.Length).Select(_grid.LevelsOfCount)],
        Options.Tail != PValueTail.Upper);

    /// <summary>
    /// The level rows of several events on a device backend holding <see cref="DeviceModel"/>: the
    /// same rows as <see cref="EventLevels"/> of each event.
    /// </summary>
    /// <param name="events">Per event, per scanner layer, its vector.</param>
    internal ScanRow[] EventLevelsOnDevice(IReadOnlyList<IReadOnlyList<float[]>> events, IReadOnlyList<int> groups, IScanLevelBackend backend)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(backend);
        int d = NodeCount;
        var flat = new float[(long)events.Count * d];
        for (int i = 0; i < events.Count; i++)
        {
            var eventLayers = events[i] ?? throw new ArgumentException($"Event {i} is null.", nameof(events));
            if (eventLayers.Count != _layers.Length)
            {
                throw new ArgumentException(
                    $"Event has {eventLayers.Count} layer(s); the scanner has {_layers.Length} ({string.Join(", ", _layers.Select(l => l.Layer))}).",
                    nameof(events));
            }
            if ((uint)groups[i] >= (uint)_groups.Length)
            {
                throw new ArgumentException($"The event has group {groups[i]}; the scanner has groups 0..{_groups.Length - 1}.", nameof(groups));
            }
            for (int l = 0; l < _layers.Length; l++)
            {
                ValidateRow(l, eventLayers[l], $"Event layer '{_layers[l].Layer}'", nameof(events));
                eventLayers[l].CopyTo(flat, (long)i * d + _offsets[l]);
            }
        }
        byte[] levels = backend.Levels(events.Count, flat, [.. groups]);
        return [.. Enumerable.Range(0, events.Count).Select(i => new ScanRow(levels.AsSpan(i * d, d).ToArray()))];
    }

    /// <summary>
    /// The scan of a window given as its events' level rows (<see cref="EventLevels"/>), in window
    /// order: the same result as <see cref="Scan(IReadOnlyList{float[][]}, IReadOnlyList{int}?)"/> of
    /// the events' vectors and groups.
    /// </summary>
    public ScanResult ScanLevels(IReadOnlyList<ScanRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count < 1)
        {
            throw new ArgumentException("Window has no events to scan.", nameof(rows));
        }
        int d = NodeCount;
        var levels = new byte[rows.Count * d];
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i] ?? throw new ArgumentException($"Level row {i} is null.", nameof(rows));
            if (row.Levels.Length != d)
            {
                throw new ArgumentException($"Level row {i} has {row.Levels.Length} nodes; the scanner has {d}.", nameof(rows));
            }
            row.Levels.CopyTo(levels, i * d);
        }
        return Search(new LevelMatrix(levels, rows.Count, d, _grid.Alphas));
    }

    /// <summary>Empirical p-values of a window, row-major events × <see cref="NodeCount"/> (layers side by side, in order).</summary>
    public double[] PValues(IReadOnlyList<float[][]> windowLayers, IReadOnlyList<int>? groups = null)
    {
        int events = Validate(windowLayers);
        ValidateGroups(groups, events);
        var pValues = new double[events * NodeCount];
        for (int l = 0; l < _layers.Length; l++)
        {
            for (int i = 0; i < events; i++)
            {
                var layer = _groups[groups?[i] ?? 0][l];
                var row = windowLayers[l][i];
                for (int j = 0; j < layer.Dimension; j++)
                {
                    pValues[i * NodeCount + _offsets[l] + j] = layer.PValue(j, row[j], Options.Tail);
                }
            }
        }
        return pValues;
    }

    /// <summary>The (layer, node) of a column of <see cref="PValues"/>.</summary>
    public ScanNode Node(int column)
    {
        if ((uint)column >= (uint)NodeCount)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"The scanner has {NodeCount} nodes.");
        }
        int layer = Array.BinarySearch(_offsets, column);
        layer = layer >= 0 ? layer : ~layer - 1;
        // Several offsets can be equal only for empty layers, which cannot exist (dimension ≥ 1).
        return new ScanNode(layer, column - _offsets[layer]);
    }

    internal LevelMatrix Levels(IReadOnlyList<float[][]> windowLayers, IReadOnlyList<int>? groups = null)
    {
        int events = Validate(windowLayers);
        ValidateGroups(groups, events);
        int d = NodeCount;
        var levels = new byte[events * d];
        for (int l = 0; l < _layers.Length; l++)
        {
            for (int i = 0; i < events; i++)
            {
                FillLevels(groups?[i] ?? 0, l, windowLayers[l][i], levels.AsSpan(i * d + _offsets[l], _layers[l].Dimension));
            }
        }
        return new LevelMatrix(levels, events, d, _grid.Alphas);
    }

    /// <summary>The threshold levels of one event's vector of layer <paramref name="l"/> against the background of <paramref name="group"/>.</summary>
    private void FillLevels(int group, int l, float[] row, Span<byte> levels)
    {
        var layer = _groups[group][l];
        int gridLayer = group * _layers.Length + l;
        for (int j = 0; j < levels.Length; j++)
        {
            levels[j] = _grid.Level(gridLayer, layer.TailCount(j, row[j], Options.Tail));
        }
    }

    private void ValidateGroups(IReadOnlyList<int>? groups, int events)
    {
        if (groups is null)
        {
            if (_groups.Length > 1)
            {
                throw new ArgumentException($"The scanner has {_groups.Length} background groups; every event needs its group.", nameof(groups));
            }
            return;
        }
        if (groups.Count != events)
        {
            throw new ArgumentException($"{groups.Count} groups given for {events} events.", nameof(groups));
        }
        for (int i = 0; i < groups.Count; i++)
        {
            if ((uint)groups[i] >= (uint)_groups.Length)
            {
                throw new ArgumentException($"Event {i} has group {groups[i]}; the scanner has groups 0..{_groups.Length - 1}.", nameof(groups));
            }
        }
    }

    private void ValidateRow(int l, float[]? row, string what, string parameter)
    {
        if (row is null || row.Length != _layers[l].Dimension)
        {
            throw new ArgumentException($"{what} has {row?.Length.ToString() ?? "no"} values; the layer has {_layers[l].Dimension}.", parameter);
        }
        int bad = ActivationBounds.FirstUnusable(row);
        if (bad >= 0)
        {
            throw new ArgumentException($"{what} holds an unusable value ({ActivationBounds.Describe(row[bad])}) at component {bad}.", parameter);
        }
    }

    private int Validate(IReadOnlyList<float[][]> windowLayers)
    {
        ArgumentNullException.ThrowIfNull(windowLayers);
        if (windowLayers.Count != _layers.Length)
        {
            throw new ArgumentException(
                $"Window has {windowLayers.Count} layer(s); the scanner has {_layers.Length} ({string.Join(", ", _layers.Select(l => l.Layer))}).",
                nameof(windowLayers));
        }
        int events = -1;
        for (int l = 0; l < _layers.Length; l++)
        {
            var vectors = windowLayers[l] ?? throw new ArgumentException($"Window layer '{_layers[l].Layer}' is null.", nameof(windowLayers));
            if (events >= 0 && vectors.Length != events)
            {
                throw new ArgumentException(
                    $"Window layer '{_layers[l].Layer}' has {vectors.Length} events but other layers have {events}; every layer must hold the same inputs.",
                    nameof(windowLayers));
            }
            events = vectors.Length;
            for (int i = 0; i < vectors.Length; i++)
            {
                ValidateRow(l, vectors[i], $"Window layer '{_layers[l].Layer}' event {i}", nameof(windowLayers));
            }
        }
        if (events < 1)
        {
            throw new ArgumentException("Window has no events to scan.", nameof(windowLayers));
        }
        return events;
    }
}
