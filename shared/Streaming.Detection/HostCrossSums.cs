using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Streaming.Detection;

/// <summary>
/// Each vector's Gaussian kernel sum against a fixed set of rows, Σ_r k(r, y), in managed code on the CPU:
/// against a layer's reference it is what <see cref="ObservedLayerStatistics.EventCrossSums"/> computes with
/// tensors (and against a precomputed null most of a window's cost); against the window itself it gives the
/// window's own kernel row sums. The rows are held in tiles of <see cref="Tile"/> stored component by
/// component, so a tile (d·Tile floats) stays in the L1 cache while every vector is run past it, six at a
/// time: per component one load of the tile's two registers, and per vector a broadcast, a subtract and a
/// fused multiply-add per register. Squared distances are summed from differences (never negative, no
/// centring), and the kernel is taken at once on the registers.
/// </summary>
/// <remarks>
/// A vector's sum depends on its own components and the rows alone: every (vector, row) distance is the
/// same operations in the same order whether the vector is computed in a group of six or alone, and its
/// per-lane sums over the tiles are added in one fixed order. So an event gets the same bits in any call
/// (the <see cref="CrossSumCache"/> relies on it). The last tile is padded with zero rows whose kernel values
/// are masked to +0 (adding +0 changes no bits). The tile width is two SIMD registers of the machine, so bits
/// may differ between machines, not between calls. The inner loops live in small methods of their own: in
/// one large method the JIT kept the sums on the stack across the loop (spilled for the exponentials after
/// it), which made the loop three times slower.
/// </remarks>
internal sealed class HostCrossSums
{
    /// <summary>Rows per tile: two SIMD registers.</summary>
    public static readonly int Tile = 2 * Vector<float>.Count;

    private readonly int _tiles;
    // Tile b holds component t of row b·Tile + j at b·d·Tile + t·Tile + j; rows past Count are zeros.
    private readonly float[] _tiled;
    // All ones but for the padded rows of the last tile: per tile its low and high register's mask.
    private readonly Vector<float>[] _masks;
    private readonly float[] _negativeGammas;

    /// <param name="rows">Row-major count×d rows.</param>
    /// <param name="gammas">The kernel's γ per bandwidth.</param>
    public HostCrossSums(ReadOnlySpan<float> rows, int count, int dimension, IReadOnlyList<double> gammas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentNullException.ThrowIfNull(gammas);
        if (rows.Length != (long)count * dimension)
        {
            throw new ArgumentException($"{rows.Length} values are not {count} rows of {dimension}.", nameof(rows));
        }

        Count = count;
        Dimension = dimension;
        _negativeGammas = [.. gammas.Select(g => (float)-g)];   // in float32, as the tensor path multiplies by it
        _tiles = (count + Tile - 1) / Tile;
        _tiled = new float[_tiles * Tile * dimension];
        for (int row = 0; row < count; row++)
        {
            int tileStart = row / Tile * dimension * Tile;
            for (int t = 0; t < dimension; t++)
            {
                _tiled[tileStart + t * Tile + row % Tile] = rows[row * dimension + t];
            }
        }
        _masks = new Vector<float>[2 * _tiles];
        var lanes = new int[Tile];
        for (int b = 0; b < _tiles; b++)
        {
            for (int j = 0; j < Tile; j++)
            {
                lanes[j] = b * Tile + j < count ? -1 : 0;
            }
            _masks[2 * b] = Vector.AsVectorSingle(new Vector<int>(lanes, 0));
            _masks[2 * b + 1] = Vector.AsVectorSingle(new Vector<int>(lanes, Vector<float>.Count));
        }
    }

    public int Count { get; }

    public int Dimension { get; }

    /// <summary>The sums against a layer's reference (its vectors, not centred, and its bandwidths).</summary>
    public static HostCrossSums For(DeviceReference reference) =>
        new(reference.Source.Vectors, reference.Count, reference.Dimension, reference.Gammas);

    /// <param name="vectors">Row-major U×d vectors.</param>
    /// <param name="sums">U sums, written.</param>
    public void Compute(ReadOnlySpan<float> vectors, Span<float> sums)
    {
        int d = Dimension;
        int count = sums.Length;
        if (vectors.Length != (long)count * d)
        {
            throw new ArgumentException($"{vectors.Length} values are not {count} vectors of {d}.", nameof(vectors));
        }

        // Per vector, per lane, its kernel sums over the tiles so far.
        var lanes = new Vector<float>[count];
        ref float tiled = ref MemoryMarshal.GetArrayDataReference(_tiled);
        ref float x = ref MemoryMarshal.GetReference(vectors);
        for (int b = 0; b < _tiles; b++)
        {
            ref float tile = ref Unsafe.Add(ref tiled, b * d * Tile);
            var low = _masks[2 * b];
            var high = _masks[2 * b + 1];
            int u = 0;
            for (; u + 6 <= count; u += 6)
            {
                SixVectors(ref tile, ref Unsafe.Add(ref x, u * d), d,
                    out var a0, out var b0, out var a1, out var b1, out var a2, out var b2,
                    out var a3, out var b3, out var a4, out var b4, out var a5, out var b5);
                lanes[u] += Kernel(a0, low) + Kernel(b0, high);
                lanes[u + 1] += Kernel(a1, low) + Kernel(b1, high);
                lanes[u + 2] += Kernel(a2, low) + Kernel(b2, high);
                lanes[u + 3] += Kernel(a3, low) + Kernel(b3, high);
                lanes[u + 4] += Kernel(a4, low) + Kernel(b4, high);
                lanes[u + 5] += Kernel(a5, low) + Kernel(b5, high);
            }
            for (; u < count; u++)
            {
                OneVector(ref tile, ref Unsafe.Add(ref x, u * d), d, out var a0, out var b0);
                lanes[u] += Kernel(a0, low) + Kernel(b0, high);
            }
        }

        for (int u = 0; u < count; u++)
        {
            sums[u] = Vector.Sum(lanes[u]);
        }
    }

    /// <summary>Σ_s exp(−γ_s d²) of a register of squared distances, +0 where the mask is clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector<float> Kernel(Vector<float> squaredDistances, Vector<float> mask)
    {
        var value = NonPositiveExp.Of(squaredDistances * _negativeGammas[0]);
        for (int s = 1; s < _negativeGammas.Length; s++)
        {
            value += NonPositiveExp.Of(squaredDistances * _negativeGammas[s]);
        }
        return Vector.BitwiseAnd(value, mask);
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
