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
    /// <param name="windows">B×m×d window vectors on the reference's device.</param>
    /// <returns>B×(1+m): the observed MMD² then the m witness scores.</returns>
    public static Tensor Compute(DeviceReference reference, CalibrationPool pool, Tensor windows)
    {
        int n = reference.Count;
        int m = (int)windows.shape[1];
        var centred = windows - reference.Mean;
        var norms = GaussianKernel.SquaredNorms(centred);
        var cross = GaussianKernel.Matrix(reference.Centred, reference.SquaredNorms, centred, norms, reference.Gammas);   // B×n×m
        var within = GaussianKernel.Matrix(centred, norms, centred, norms, reference.Gammas);                            // B×m×m

        var crossColumnSums = cross.sum(1L);                             // B×m: Σ_r k(x_r, y_j)
        var withinRowSums = within.sum(-1);                              // B×m
        var withinDiagonal = within.diagonal(0, -2, -1);                 // B×m
        var withinOffDiagonal = (withinRowSums - withinDiagonal).to(ScalarType.Float64).sum(-1);
        var crossSum = crossColumnSums.to(ScalarType.Float64).sum(-1);
        var statistic = pool.ReferenceTerm
            + withinOffDiagonal / ((double)m * (m - 1))
            - 2 * crossSum / ((double)n * m);

        var witness = (withinRowSums - withinDiagonal) / (m - 1) - crossColumnSums / n;
        return torch.cat([statistic.to(ScalarType.Float32).unsqueeze(-1), witness], 1);
    }
}
