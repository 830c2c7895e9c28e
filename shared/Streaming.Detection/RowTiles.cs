using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Streaming.Detection;

/// <summary>
/// A fixed set of rows (a layer's reference, or a window) held for computing squared distances from many
/// vectors at once in managed code: tiles of <see cref="Tile"/> rows (two registers) stored component by
/// component, so a tile (d·Tile floats) stays in the L1 cache while every vector is run past it, six at a time:
/// per component one load of the tile's two registers, and per vector a broadcast, a subtract and a fused
/// multiply-add per register. The registers are 512 bits wide where the runtime says such code is worth
/// running (<see cref="Vector512.IsHardwareAccelerated"/>; twice the rows per instruction of
/// <see cref="Vector{T}"/>'s 256 there), else <see cref="Vector{T}"/>'s width; the callers run
/// <see cref="Run{TLanes, TVector, TSink}"/> in the width <see cref="Wide"/> names. Distances are summed from
/// differences (never negative, no centring). What becomes of them is the <see cref="ITileSink{TVector}"/>'s
/// business (kernel sums, nearest neighbours), handed each vector's two registers of distances per tile, tiles in order.
/// </summary>
/// <remarks>
/// A distance depends on its vector and row alone: it is the same operations in the same order whether the
/// vector is run in a group of six or alone, and the sink gets the tiles in one order, so a vector gets the
/// same bits in any call. The last tile is padded with zero rows (<see cref="Valid{TLanes, TVector}"/> masks them).
/// The tile width is two SIMD registers of the machine, so bits may differ between machines, not between calls.
/// The inner loops live in small methods of their own: in one large method the JIT kept the sums on the
/// stack across the loop (spilled for the work after it), which made the loop three times slower.
/// </remarks>
internal sealed class RowTiles
{
    // Tile b holds component t of row b·Tile + j at b·d·Tile + t·Tile + j; rows past Count are zeros.
    private readonly float[] _tiled;
    // Per row of the tiles all bits set, but for the padded rows of the last tile: the lanes' masks.
    private readonly float[] _valid;

    /// <param name="rows">Row-major count×d rows.</param>
    public RowTiles(ReadOnlySpan<float> rows, int count, int dimension)
        : this(rows, count, dimension, WideByDefault)
    {
    }

    /// <param name="rows">Row-major count×d rows.</param>
    /// <param name="wide">512-bit registers (<see cref="Vector512Lanes"/>), else <see cref="Vector{T}"/>'s (<see cref="MachineLanes"/>): the tests run both anywhere.</param>
    internal RowTiles(ReadOnlySpan<float> rows, int count, int dimension, bool wide)
        : this(rows, count, dimension, wide, scratch: null)
    {
    }

    /// <param name="rows">Row-major count×d rows.</param>
    /// <param name="scratch">
    /// Storage to lay the tiles in (grown when too small) instead of new arrays, for tiles used once and dropped
    /// (a window's own): the caller uses these tiles only until it lays others in the same scratch.
    /// </param>
    internal RowTiles(ReadOnlySpan<float> rows, int count, int dimension, RowTileScratch scratch)
        : this(rows, count, dimension, WideByDefault, scratch)
    {
    }

    private RowTiles(ReadOnlySpan<float> rows, int count, int dimension, bool wide, RowTileScratch? scratch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (rows.Length != (long)count * dimension)
        {
            throw new ArgumentException($"{rows.Length} values are not {count} rows of {dimension}.", nameof(rows));
        }

        Count = count;
        Dimension = dimension;
        Wide = wide;
        Tile = 2 * (wide ? Vector512<float>.Count : Vector<float>.Count);
        Tiles = (count + Tile - 1) / Tile;
        int padded = Tiles * Tile;
        if (scratch is null)
        {
            _tiled = new float[padded * dimension];
            _valid = new float[padded];
        }
        else
        {
            (_tiled, _valid) = scratch.Take(padded * dimension, padded);
            // Only the real rows are written below: the last tile's padding must read zero, as in a new array.
            _tiled.AsSpan((Tiles - 1) * Tile * dimension, Tile * dimension).Clear();
        }
        for (int row = 0; row < count; row++)
        {
            int tileStart = row / Tile * dimension * Tile;
            for (int t = 0; t < dimension; t++)
            {
                _tiled[tileStart + t * Tile + row % Tile] = rows[row * dimension + t];
            }
        }
        var valid = MemoryMarshal.Cast<float, int>(_valid.AsSpan(0, padded));
        valid[..count].Fill(-1);
        valid[count..].Clear();
    }

    /// <summary>Whether tiles are 512-bit registers wide on this machine by default (<see cref="Vector512.IsHardwareAccelerated"/>, and wider than <see cref="Vector{T}"/>).</summary>
    public static bool WideByDefault { get; } = Vector512.IsHardwareAccelerated && Vector512<float>.Count > Vector<float>.Count;

    /// <summary>Tiles of two 512-bit registers (run with <see cref="Vector512Lanes"/>), else of two <see cref="Vector{T}"/> (<see cref="MachineLanes"/>).</summary>
    public bool Wide { get; }

    /// <summary>Rows per tile: two SIMD registers.</summary>
    public int Tile { get; }

    public int Count { get; }

    public int Dimension { get; }

    public int Tiles { get; }

    /// <summary>All bits set in the lanes of real rows of tile <paramref name="tile"/>'s low (<paramref name="high"/> false) or high register, clear for padding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Valid<TLanes, TVector>(int tile, bool high) where TLanes : struct, IFloatLanes<TVector> where TVector : struct =>
        TLanes.Load(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_valid), tile * Tile + (high ? TLanes.Count : 0)));

    /// <summary>Hands <paramref name="sink"/> every vector's squared distances to every tile's rows, tile by tile, vectors in order within a tile.</summary>
    /// <typeparam name="TLanes">The registers of the tiles' width: <see cref="Vector512Lanes"/> where <see cref="Wide"/>, else <see cref="MachineLanes"/>.</typeparam>
    /// <param name="vectors">Row-major U×d vectors, U = <paramref name="count"/>.</param>
    public void Run<TLanes, TVector, TSink>(ReadOnlySpan<float> vectors, int count, ref TSink sink)
        where TLanes : struct, IFloatLanes<TVector> where TVector : struct where TSink : struct, ITileSink<TVector>
    {
        CheckRun(vectors.Length, count, TLanes.Count);
        int d = Dimension;

        ref float tiled = ref MemoryMarshal.GetArrayDataReference(_tiled);
        ref float x = ref MemoryMarshal.GetReference(vectors);
        for (int b = 0; b < Tiles; b++)
        {
            ref float tile = ref Unsafe.Add(ref tiled, b * d * Tile);
            int u = 0;
            for (; u + 6 <= count; u += 6)
            {
                SixVectors<TLanes, TVector>(ref tile, ref Unsafe.Add(ref x, u * d), d,
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
                OneVector<TLanes, TVector>(ref tile, ref Unsafe.Add(ref x, u * d), d, out var a0, out var b0);
                sink.Take(u, b, a0, b0);
            }
        }
    }

    // Out of Run, whose inlining budget goes to its sink (the messages' formatting would take a share).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CheckRun(int length, int count, int lanes)
    {
        if (length != (long)count * Dimension)
        {
            throw new ArgumentException($"{length} values are not {count} vectors of {Dimension}.", "vectors");
        }
        if (2 * lanes != Tile)
        {
            throw new InvalidOperationException($"Tiles of {Tile} rows are run with registers of {Tile / 2} floats, not {lanes}.");
        }
    }

    /// <summary>
    /// Squared distances of six vectors (rows of d from <paramref name="x"/>) to the tile's rows, a register pair
    /// each: twelve sums, the tile's two registers, a broadcast and a difference fill the sixteen AVX2 registers
    /// (AVX-512 has 32).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SixVectors<TLanes, TVector>(ref float tile, ref float x, int d,
        out TVector a0, out TVector b0, out TVector a1, out TVector b1, out TVector a2, out TVector b2,
        out TVector a3, out TVector b3, out TVector a4, out TVector b4, out TVector a5, out TVector b5)
        where TLanes : struct, IFloatLanes<TVector> where TVector : struct
    {
        int w = TLanes.Count;
        nint d2 = 2 * d, d3 = 3 * d, d4 = 4 * d, d5 = 5 * d;
        TVector s0 = default, t0 = default, s1 = default, t1 = default, s2 = default, t2 = default;
        TVector s3 = default, t3 = default, s4 = default, t4 = default, s5 = default, t5 = default;
        ref float end = ref Unsafe.Add(ref x, d);
        for (; Unsafe.IsAddressLessThan(ref x, ref end); x = ref Unsafe.Add(ref x, 1), tile = ref Unsafe.Add(ref tile, 2 * w))
        {
            var low = TLanes.Load(ref tile);
            var high = TLanes.Load(ref Unsafe.Add(ref tile, w));
            var y = TLanes.Broadcast(x);
            var e = TLanes.Subtract(low, y); s0 = TLanes.MultiplyAdd(e, e, s0); e = TLanes.Subtract(high, y); t0 = TLanes.MultiplyAdd(e, e, t0);
            y = TLanes.Broadcast(Unsafe.Add(ref x, d));
            e = TLanes.Subtract(low, y); s1 = TLanes.MultiplyAdd(e, e, s1); e = TLanes.Subtract(high, y); t1 = TLanes.MultiplyAdd(e, e, t1);
            y = TLanes.Broadcast(Unsafe.Add(ref x, d2));
            e = TLanes.Subtract(low, y); s2 = TLanes.MultiplyAdd(e, e, s2); e = TLanes.Subtract(high, y); t2 = TLanes.MultiplyAdd(e, e, t2);
            y = TLanes.Broadcast(Unsafe.Add(ref x, d3));
            e = TLanes.Subtract(low, y); s3 = TLanes.MultiplyAdd(e, e, s3); e = TLanes.Subtract(high, y); t3 = TLanes.MultiplyAdd(e, e, t3);
            y = TLanes.Broadcast(Unsafe.Add(ref x, d4));
            e = TLanes.Subtract(low, y); s4 = TLanes.MultiplyAdd(e, e, s4); e = TLanes.Subtract(high, y); t4 = TLanes.MultiplyAdd(e, e, t4);
            y = TLanes.Broadcast(Unsafe.Add(ref x, d5));
            e = TLanes.Subtract(low, y); s5 = TLanes.MultiplyAdd(e, e, s5); e = TLanes.Subtract(high, y); t5 = TLanes.MultiplyAdd(e, e, t5);
        }
        a0 = s0; b0 = t0; a1 = s1; b1 = t1; a2 = s2; b2 = t2; a3 = s3; b3 = t3; a4 = s4; b4 = t4; a5 = s5; b5 = t5;
    }

    /// <summary><see cref="SixVectors"/> for one vector: the same operations per lane, so the same bits.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OneVector<TLanes, TVector>(ref float tile, ref float x, int d, out TVector a0, out TVector b0)
        where TLanes : struct, IFloatLanes<TVector> where TVector : struct
    {
        int w = TLanes.Count;
        TVector s0 = default, t0 = default;
        ref float end = ref Unsafe.Add(ref x, d);
        for (; Unsafe.IsAddressLessThan(ref x, ref end); x = ref Unsafe.Add(ref x, 1), tile = ref Unsafe.Add(ref tile, 2 * w))
        {
            var y = TLanes.Broadcast(x);
            var e = TLanes.Subtract(TLanes.Load(ref tile), y); s0 = TLanes.MultiplyAdd(e, e, s0);
            e = TLanes.Subtract(TLanes.Load(ref Unsafe.Add(ref tile, w)), y); t0 = TLanes.MultiplyAdd(e, e, t0);
        }
        a0 = s0; b0 = t0;
    }
}
