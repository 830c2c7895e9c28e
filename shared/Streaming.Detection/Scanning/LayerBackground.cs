using System.Runtime.CompilerServices;

namespace Streaming.Detection.Scanning;

/// <summary>
/// The clean background of one layer for empirical p-values: every node's background values,
/// sorted once at construction, so a value's p-value is two binary searches (O(log n)).
/// </summary>
public sealed class LayerBackground
{
    // Column-major: node j's n sorted values at [j*n, (j+1)*n).
    private readonly float[] _sortedColumns;

    /// <param name="layer">Name, for messages and results.</param>
    /// <param name="vectors">Row-major <paramref name="count"/> × <paramref name="dimension"/> clean activations.</param>
    public LayerBackground(string layer, float[] vectors, int count, int dimension)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(layer);
        ArgumentNullException.ThrowIfNull(vectors);
        if (count < 1)
        {
            throw new ArgumentException($"Background of layer '{layer}' needs at least 1 vector, got {count}.", nameof(count));
        }
        if (dimension < 1)
        {
            throw new ArgumentException($"Background of layer '{layer}' has dimension {dimension}; it must be at least 1.", nameof(dimension));
        }
        if (vectors.LongLength != (long)count * dimension)
        {
            throw new ArgumentException(
                $"Background of layer '{layer}' declares {count}×{dimension} = {(long)count * dimension} values but holds {vectors.LongLength}.",
                nameof(vectors));
        }
        int bad = ActivationBounds.FirstUnusable(vectors);
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"Background of layer '{layer}' holds an unusable value ({ActivationBounds.Describe(vectors[bad])}) in vector {bad / dimension}, component {bad % dimension}.",
                nameof(vectors));
        }

        Layer = layer;
        Count = count;
        Dimension = dimension;
        _sortedColumns = new float[vectors.Length];
        for (int j = 0; j < dimension; j++)
        {
            var column = _sortedColumns.AsSpan(j * count, count);
            for (int i = 0; i < count; i++)
            {
                column[i] = vectors[i * dimension + j];
            }
            column.Sort();
        }
    }

    public string Layer { get; }

    /// <summary>n, the number of background vectors.</summary>
    public int Count { get; }

    public int Dimension { get; }

    /// <summary>Column-major sorted values (node j's n values at [j·n, (j+1)·n)), for a device backend; not to be modified.</summary>
    internal float[] SortedColumns => _sortedColumns;

    /// <summary>Background vectors given as rows (every row of length <see cref="Dimension"/>).</summary>
    public static LayerBackground FromRows(string layer, IReadOnlyList<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException($"Background of layer '{layer}' has no vectors.", nameof(rows));
        }
        int dimension = rows[0]?.Length ?? throw new ArgumentException($"Background of layer '{layer}' has a null vector 0.", nameof(rows));
        var flat = new float[(long)rows.Count * dimension];
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row is null || row.Length != dimension)
            {
                throw new ArgumentException(
                    $"Background of layer '{layer}' vector {i} has {row?.Length.ToString() ?? "no"} values; vector 0 has {dimension}.", nameof(rows));
            }
            row.CopyTo(flat, (long)i * dimension);
        }
        return new LayerBackground(layer, flat, rows.Count, dimension);
    }

    /// <summary>#{background values of <paramref name="node"/> ≥ <paramref name="value"/>}.</summary>
    public int CountAtLeast(int node, float value)
    {
        var column = Column(node);
        return column.Length - FirstWhereNot(column, value, orEqual: false);
    }

    /// <summary>#{background values of <paramref name="node"/> ≤ <paramref name="value"/>}.</summary>
    public int CountAtMost(int node, float value) => FirstWhereNot(Column(node), value, orEqual: true);

    /// <summary>
    /// The first index of the sorted <paramref name="column"/> whose value is not below <paramref name="value"/>
    /// (not at or below it, with <paramref name="orEqual"/>): a binary search whose halving step is arithmetic,
    /// not a branch. Which half holds the answer is a coin toss for the processor's predictor, and its
    /// mispredictions were most of the search's cost (the scan asks once per event and node).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FirstWhereNot(ReadOnlySpan<float> column, float value, bool orEqual)
    {
        int first = 0;
        int length = column.Length;   // the answer lies in [first, first + length]
        while (length > 1)
        {
            int half = length >> 1;
            float probe = column[first + half - 1];
            // The comparison as 0 or 1, and the step masked with it (a ternary here compiled to a branch).
            first += half & -Unsafe.BitCast<bool, byte>(orEqual ? probe <= value : probe < value);
            length -= half;
        }
        return first + Unsafe.BitCast<bool, byte>(orEqual ? column[first] <= value : column[first] < value);
    }

    /// <summary>
    /// The count k behind the empirical p-value (k + 1) / (n + 1) of <paramref name="value"/> at
    /// <paramref name="node"/>: the upper count, or for two sides the smaller of the two counts
    /// (the two-sided p-value is min(1, 2(k + 1)/(n + 1))).
    /// </summary>
    internal int TailCount(int node, float value, PValueTail tail) => tail switch
    {
        PValueTail.Upper => CountAtLeast(node, value),
        _ => Math.Min(CountAtLeast(node, value), CountAtMost(node, value)),
    };

    /// <summary>The empirical p-value of <paramref name="value"/> at <paramref name="node"/>; uniform on {1/(n+1), …, 1} for a clean value not in the background.</summary>
    public double PValue(int node, float value, PValueTail tail = PValueTail.Upper) => PValueOfCount(TailCount(node, value, tail), tail);

    internal double PValueOfCount(int count, PValueTail tail)
    {
        double p = (count + 1.0) / (Count + 1.0);
        return tail == PValueTail.Upper ? p : Math.Min(1.0, 2.0 * p);
    }

    private ReadOnlySpan<float> Column(int node)
    {
        if ((uint)node >= (uint)Dimension)
        {
            throw new ArgumentOutOfRangeException(nameof(node), node, $"Layer '{Layer}' has {Dimension} nodes.");
        }
        return _sortedColumns.AsSpan(node * Count, Count);
    }
}
