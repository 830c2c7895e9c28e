using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Streaming.Detection;

/// <summary>
/// A fixed set of rows (a layer's reference, or a window) held for computing squared distances from many
/// vectors at once in managed code: tiles of <see cref="Tile"/> rows stored component by component, so a tile
/// (d·Tile floats) stays in the L1 cache while every vector is run past it, six at a time: per component one
/// load of the tile's two registers, and per vector a broadcast, a subtract and a fused multiply-add per
/// register. Distances are summed from differences (never negative, no centring). What becomes of them is
/// the <see cref="ITileSink"/>'s business (kernel sums, nearest neighbours), handed each vector's two
/// registers of distances per tile, tiles in order.
/// </summary>
/// <remarks>
/// A distance depends on its vector and row alone: it is the same operations in the same order whether the
/// vector is run in a group of six or alone, and the sink gets the tiles in one order, so a vector gets the
/// same bits in any call. The last tile is padded with zero rows (<see cref="Valid"/> masks them). The tile
/// width is two SIMD registers of the machine, so bits may differ between machines, not between calls.
/// The inner loops live in small methods of their own: in one large method the JIT kept the sums on the
/// stack across the loop (spilled for the work after it), which made the loop three times slower.
/// </remarks>
internal sealed class RowTiles
{
    /// <summary>Rows per tile: two SIMD registers.</summary>
    public static readonly int Tile = 2 * Vector<float>.Count;

    // Tile b holds component t of row b·Tile + j at b·d·Tile + t·Tile + j; rows past Count are zeros.
    private readonly float[] _tiled;
    // All ones but for the padded rows of the last tile: per tile its low and high register's mask.
    private readonly Vector<float>[] _valid;

    /// <param name="rows">Row-major count×d rows.</param>
    public RowTiles(ReadOnlySpan<float> rows, int count, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (rows.Length != (long)count * dimension)
        {
            throw new ArgumentException($"{rows.Length} values are not {count} rows of {dimension}.", nameof(rows));
        }

        Count = count;
        Dimension = dimension;
        Tiles = (count + Tile - 1) / Tile;
        _tiled = new float[Tiles * Tile * dimension];
        for (int row = 0; row < count; row++)
        {
            int tileStart = row / Tile * dimension * Tile;
            for (int t = 0; t < dimension; t++)
            {
                _tiled[tileStart + t * Tile + row % Tile] = rows[row * dimension + t];
            }
        }
        _valid = new Vector<float>[2 * Tiles];
        var lanes = new int[Tile];
        for (int b = 0; b < Tiles; b++)
        {
            for (int j = 0; j < Tile; j++)
            {
                lanes[j] = b * Tile + j < count ? -1 : 0;
            }
            _valid[2 * b] = Vector.AsVectorSingle(new Vector<int>(lanes, 0));
            _valid[2 * b + 1] = Vector.AsVectorSingle(new Vector<int>(lanes, Vector<float>.Count));
        }
    }

    public int Count { get; }

    public int Dimension { get; }

    public int Tiles { get; }

    /// <summary>All bits set in the lanes of real rows of tile <paramref name="tile"/>'s low (<paramref name="high"/> false) or high register, clear for padding.</summary>
    public Vector<float> Valid(int tile, bool high) => _valid[2 * tile + (high ? 1 : 0)];

    /// <summary>Hands <paramref name="sink"/> every vector's squared distances to every tile's rows, tile by tile, vectors in order within a tile.</summary>
    /// <param name="vectors">Row-major U×d vectors, U = <paramref name="count"/>.</param>
    public void Run<TSink>(ReadOnlySpan<float> vectors, int count, ref TSink sink) where TSink : struct, ITileSink
    {
        int d = Dimension;
        if (vectors.Length != (long)count * d)
        {
            throw new ArgumentException($"{vectors.Length} values are not {count} vectors of {d}.", nameof(vectors));
        }

        ref float tiled = ref MemoryMarshal.GetArrayDataReference(_tiled);
        ref float x = ref MemoryMarshal.GetReference(vectors);
        for (int b = 0; b < Tiles; b++)
        {
            ref float tile = ref Unsafe.Add(ref tiled, b * d * Tile);
            int u = 0;
            for (; u + 6 <= count; u += 6)
            {
                SixVectors(ref tile, ref Unsafe.Add(ref x, u * d), d,
                    out var a0, out var b0, out var a1, out var b1, out var a2, out var b2,
                    out var a3, out var b3, out var a4, out var b4, out var a5, out var b5);
                sink.Take(u, b, a0, b0);
                sink.Take(u + 1, b, a1, b1);
                sink.Take(u + 2, b, a2, b2);
                sink.Take(u + 3, b, a3, b3);
                sink.Take(u + 4, b, a4, b4);
                sink.Take(u + 5, b, a5, b5);
            }
            for (; u < count; u++)
            {
                OneVector(ref tile, ref Unsafe.Add(ref x, u * d), d, out var a0, out var b0);
                sink.Take(u, b, a0, b0);
            }
        }
    }

    /// <summary>
    /// Squared distances of six vectors (rows of d from <paramref name="x"/>) to the tile's rows, a register pair
    /// each: twelve sums, the tile's two registers, a broadcast and a difference fill the sixteen AVX2 registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SixVectors(ref float tile, ref float x, int d,
        out Vector<float> a0, out Vector<float> b0, out Vector<float> a1, out Vector<float> b1, out Vector<float> a2, out Vector<float> b2,
        out Vector<float> a3, out Vector<float> b3, out Vector<float> a4, out Vector<float> b4, out Vector<float> a5, out Vector<float> b5)
    {
        int w = Vector<float>.Count;
        nint d2 = 2 * d, d3 = 3 * d, d4 = 4 * d, d5 = 5 * d;
        Vector<float> s0 = default, t0 = default, s1 = default, t1 = default, s2 = default, t2 = default;
        Vector<float> s3 = default, t3 = default, s4 = default, t4 = default, s5 = default, t5 = default;
        ref float end = ref Unsafe.Add(ref x, d);
        for (; Unsafe.IsAddressLessThan(ref x, ref end); x = ref Unsafe.Add(ref x, 1), tile = ref Unsafe.Add(ref tile, 2 * w))
        {
            var low = Vector.LoadUnsafe(ref tile);
            var high = Vector.LoadUnsafe(ref tile, (nuint)w);
            var y = new Vector<float>(x);
            var e = low - y; s0 = Vector.FusedMultiplyAdd(e, e, s0); e = high - y; t0 = Vector.FusedMultiplyAdd(e, e, t0);
            y = new Vector<float>(Unsafe.Add(ref x, d));
            e = low - y; s1 = Vector.FusedMultiplyAdd(e, e, s1); e = high - y; t1 = Vector.FusedMultiplyAdd(e, e, t1);
            y = new Vector<float>(Unsafe.Add(ref x, d2));
            e = low - y; s2 = Vector.FusedMultiplyAdd(e, e, s2); e = high - y; t2 = Vector.FusedMultiplyAdd(e, e, t2);
            y = new Vector<float>(Unsafe.Add(ref x, d3));
            e = low - y; s3 = Vector.FusedMultiplyAdd(e, e, s3); e = high - y; t3 = Vector.FusedMultiplyAdd(e, e, t3);
            y = new Vector<float>(Unsafe.Add(ref x, d4));
            e = low - y; s4 = Vector.FusedMultiplyAdd(e, e, s4); e = high - y; t4 = Vector.FusedMultiplyAdd(e, e, t4);
            y = new Vector<float>(Unsafe.Add(ref x, d5));
            e = low - y; s5 = Vector.FusedMultiplyAdd(e, e, s5); e = high - y; t5 = Vector.FusedMultiplyAdd(e, e, t5);
        }
        a0 = s0; b0 = t0; a1 = s1; b1 = t1; a2 = s2; b2 = t2; a3 = s3; b3 = t3; a4 = s4; b4 = t4; a5 = s5; b5 = t5;
    }

    /// <summary><see cref="SixVectors"/> for one vector: the same operations per lane, so the same bits.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OneVector(ref float tile, ref float x, int d, out Vector<float> a0, out Vector<float> b0)
    {
        int w = Vector<float>.Count;
        Vector<float> s0 = default, t0 = default;
        ref float end = ref Unsafe.Add(ref x, d);
        for (; Unsafe.IsAddressLessThan(ref x, ref end); x = ref Unsafe.Add(ref x, 1), tile = ref Unsafe.Add(ref tile, 2 * w))
        {
            var y = new Vector<float>(x);
            var e = Vector.LoadUnsafe(ref tile) - y; s0 = Vector.FusedMultiplyAdd(e, e, s0);
            e = Vector.LoadUnsafe(ref tile, (nuint)w) - y; t0 = Vector.FusedMultiplyAdd(e, e, t0);
        }
        a0 = s0; b0 = t0;
    }
}
