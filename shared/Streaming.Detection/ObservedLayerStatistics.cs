using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Detection;

/// <summary>
/// The observed MMD² and witness scores of B windows (same size m) of one layer, without any
/// permutation: what a window costs when its null is precomputed (<see cref="CalibrationNullCache"/>).
/// The statistic is assembled from the same three parts, in float64, by the same formula
/// (<see cref="CalibrationPool.Mmd2"/>) as the null windows' statistics.
/// </summary>
internal static class ObservedLayerStatistics
{
    /// <summary>
    /// Events per block of <see cref="EventCrossSums"/>: every event's cross sum is computed in a block
    /// of this many rows (the last block zero-padded), so its arithmetic has the same shape whatever
    /// else is computed with it.
    /// </summary>
    public const int EventBlock = 32;

    /// <param name="windows">B×m×d window vectors on the reference's device.</param>
    /// <param name="crossColumnSums">B×m float32 Σ_r k(x_r, y_j) of the windows' events (<see cref="EventCrossSums"/>).</param>
    /// <returns>B×(1+m): the observed MMD² then the m witness scores.</returns>
    public static Tensor Compute(DeviceReference reference, CalibrationPool pool, Tensor windows, Tensor crossColumnSums)
    {
        int n = reference.Count;
        int m = (int)windows.shape[1];
        var centred = windows - reference.Mean;
        var norms = GaussianKernel.SquaredNorms(centred);
        var within = GaussianKernel.Matrix(centred, norms, centred, norms, reference.Gammas);                            // B×m×m

        var withinRowSums = within.sum(-1);                              // B×m
        var withinDiagonal = within.diagonal(0, -2, -1);                 // B×m
        var withinOffDiagonal = (withinRowSums - withinDiagonal).to(ScalarType.Float64).sum(-1);
        var crossSum = crossColumnSums.to(ScalarType.Float64).sum(-1);
        var statistic = withinOffDiagonal.Over((double)m * (m - 1)).Plus(pool.ReferenceTerm)
            - crossSum.Times(2).Over((double)n * m);

        var witness = (withinRowSums - withinDiagonal).Over(m - 1) - crossColumnSums.Over(n);
        return torch.cat([statistic.to(ScalarType.Float32).unsqueeze(-1), witness], 1);
    }

    /// <summary>
    /// U float32 Σ_r k(x_r, y_u), each event's kernel sum against the whole reference: it depends on
    /// the event alone (the bandwidths are the reference's), not on the window it is in, so the
    /// <see cref="CrossSumCache"/> can keep it. Events x reference, each event one row summed along
    /// its row, the products one gemm of the same shape per block of <see cref="EventBlock"/> events:
    /// an event's sum is then the same bits whichever block, position and number of blocks it is
    /// computed in. (A column sum of the n×m kernel, a row count that varies, or one batched gemm over
    /// a varying number of blocks is not: the BLAS and the reduction take other paths by shape.)
    /// </summary>
    /// <param name="events">U ≥ 1 event vectors of this layer (not centred).</param>
    public static Tensor EventCrossSums(DeviceReference reference, IReadOnlyList<float[]> events)
    {
        int d = reference.Dimension;
        int count = events.Count;
        int blocks = (count + EventBlock - 1) / EventBlock;
        var padded = new float[blocks * EventBlock * d];
        for (int u = 0; u < count; u++)
        {
            events[u].CopyTo(padded, u * d);
        }
        var centred = torch.tensor(padded, [blocks * EventBlock, d], ScalarType.Float32, reference.Device) - reference.Mean;
        var norms = GaussianKernel.SquaredNorms(centred);
        var referenceT = reference.Centred.t();
        // ‖x‖² + ‖y‖² − 2x·y, the product added in by one gemm per block.
        var normSums = (norms.unsqueeze(-1) + reference.SquaredNorms.unsqueeze(0)).split(EventBlock);
        var blocksOf = centred.split(EventBlock);
        var squaredDistances = torch.cat([.. blocksOf.Select((block, b) => torch.addmm(normSums[b], block, referenceT, beta: 1, alpha: -2))], 0).AtLeastInPlace(0);   // (blocks·EventBlock)×n
        return GaussianKernel.FromSquaredDistances(squaredDistances, reference.Gammas).sum(-1).narrow(0, 0, count);
    }
}
