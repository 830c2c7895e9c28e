using System.Numerics;
using System.Runtime.CompilerServices;

namespace Streaming.Detection;

/// <summary>
/// Each vector's Gaussian kernel sum against a fixed set of rows, Σ_r k(r, y), in managed code on the CPU:
/// against a layer's reference it is what <see cref="ObservedLayerStatistics.EventCrossSums"/> computes with
/// tensors (and against a precomputed null most of a window's cost); against the window itself it gives the
/// window's own kernel row sums. The squared distances come from <see cref="RowTiles"/>; the kernel is taken
/// at once on their registers, padding rows masked to +0 (adding +0 changes no bits), and summed per lane
/// over the tiles in order, so a vector gets the same bits in any call (the <see cref="CrossSumCache"/> relies on it).
/// </summary>
internal sealed class HostCrossSums
{
    private readonly RowTiles _rows;
    private readonly float[] _negativeGammas;

    /// <param name="rows">Row-major count×d rows.</param>
    /// <param name="gammas">The kernel's γ per bandwidth.</param>
    public HostCrossSums(ReadOnlySpan<float> rows, int count, int dimension, IReadOnlyList<double> gammas)
        : this(new RowTiles(rows, count, dimension), gammas)
    {
    }

    private HostCrossSums(RowTiles rows, IReadOnlyList<double> gammas)
    {
        ArgumentNullException.ThrowIfNull(gammas);
        _rows = rows;
        _negativeGammas = [.. gammas.Select(g => (float)-g)];   // in float32, as the tensor path multiplies by it
    }

    public int Count => _rows.Count;

    public int Dimension => _rows.Dimension;

    /// <summary>The sums against a layer's reference (its shared tiles of the vectors, not centred, and its bandwidths).</summary>
    public static HostCrossSums For(DeviceReference reference) => new(reference.Source.Tiles, reference.Gammas);

    /// <param name="vectors">Row-major U×d vectors.</param>
    /// <param name="sums">U sums, written.</param>
    public void Compute(ReadOnlySpan<float> vectors, Span<float> sums)
    {
        var sink = new KernelSums(_rows, _negativeGammas, new Vector<float>[sums.Length]);
        _rows.Run(vectors, sums.Length, ref sink);
        for (int u = 0; u < sums.Length; u++)
        {
            sums[u] = Vector.Sum(sink.Lanes[u]);
        }
    }

    /// <summary>Per vector, per lane, its kernel sums over the tiles so far.</summary>
    private readonly struct KernelSums(RowTiles rows, float[] negativeGammas, Vector<float>[] lanes) : ITileSink
    {
        public Vector<float>[] Lanes => lanes;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take(int vector, int tile, Vector<float> low, Vector<float> high) =>
            lanes[vector] += Kernel(low, rows.Valid(tile, high: false)) + Kernel(high, rows.Valid(tile, high: true));

        /// <summary>Σ_s exp(−γ_s d²) of a register of squared distances, +0 where the mask is clear.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Vector<float> Kernel(Vector<float> squaredDistances, Vector<float> mask)
        {
            var value = NonPositiveExp.Of(squaredDistances * negativeGammas[0]);
            for (int s = 1; s < negativeGammas.Length; s++)
            {
                value += NonPositiveExp.Of(squaredDistances * negativeGammas[s]);
            }
            return Vector.BitwiseAnd(value, mask);
        }
    }
}
