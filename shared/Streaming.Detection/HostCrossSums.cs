using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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

    /// <param name="wide">The tiles' registers (<see cref="RowTiles.Wide"/>): the tests run both widths anywhere.</param>
    internal HostCrossSums(ReadOnlySpan<float> rows, int count, int dimension, IReadOnlyList<double> gammas, bool wide)
        : this(new RowTiles(rows, count, dimension, wide), gammas)
    {
    }

    /// <param name="scratch">Where the rows' tiles are laid (<see cref="RowTiles"/>): these sums are used only until the scratch is used again.</param>
    internal HostCrossSums(ReadOnlySpan<float> rows, int count, int dimension, IReadOnlyList<double> gammas, RowTileScratch scratch)
        : this(new RowTiles(rows, count, dimension, scratch), gammas)
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
        if (_rows.Wide)
        {
            Compute<Vector512Lanes, Vector512<float>>(vectors, sums);
        }
        else
        {
            Compute<MachineLanes, Vector<float>>(vectors, sums);
        }
    }

    private void Compute<TLanes, TVector>(ReadOnlySpan<float> vectors, Span<float> sums)
        where TLanes : struct, IFloatLanes<TVector> where TVector : struct
    {
        var sink = new KernelSums<TLanes, TVector>(_rows, _negativeGammas, new TVector[sums.Length]);
        _rows.Run<TLanes, TVector, KernelSums<TLanes, TVector>>(vectors, sums.Length, ref sink);
        for (int u = 0; u < sums.Length; u++)
        {
            sums[u] = TLanes.Sum(sink.Lanes[u]);
        }
    }

    /// <summary>Per vector, per lane, its kernel sums over the tiles so far.</summary>
    private readonly struct KernelSums<TLanes, TVector>(RowTiles rows, float[] negativeGammas, TVector[] lanes) : ITileSink<TVector>
        where TLanes : struct, IFloatLanes<TVector> where TVector : struct
    {
        public TVector[] Lanes => lanes;

        // One kernel and one e^x in the loops below, not one per register and bandwidth: every vector, tile and
        // sink call inlined into RowTiles.Run brings its own copies, and with four the JIT ran out of its
        // inlining budget and called the lane operations (10-40 % slower, by width). Adding the first term to +0 keeps its bits.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take(int vector, int tile, TVector low, TVector high)
        {
            var sum = lanes[vector];
            for (int half = 0; half < 2; half++)
            {
                sum = TLanes.Add(sum, Kernel(half == 0 ? low : high, rows.Valid<TLanes, TVector>(tile, high: half == 1)));
            }
            lanes[vector] = sum;
        }

        /// <summary>Σ_s exp(−γ_s d²) of a register of squared distances, +0 where the mask is clear.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private TVector Kernel(TVector squaredDistances, TVector mask)
        {
            var value = TLanes.Broadcast(0f);
            for (int s = 0; s < negativeGammas.Length; s++)
            {
                value = TLanes.Add(value, NonPositiveExp.Of<TLanes, TVector>(TLanes.Multiply(squaredDistances, TLanes.Broadcast(negativeGammas[s]))));
            }
            return TLanes.And(value, mask);
        }
    }
}
