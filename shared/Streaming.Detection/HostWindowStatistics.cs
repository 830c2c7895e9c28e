namespace Streaming.Detection;

/// <summary>
/// <see cref="ObservedLayerStatistics"/> in managed code, for a reference on the CPU: the same statistic
/// by the same formula (<see cref="CalibrationPool.Mmd2"/>) and the same witness scores, from the window's
/// own m×m kernel (<see cref="HostCrossSums"/> of the window against itself) and each event's kernel sum against the reference.
/// Against a precomputed null that is all a window costs: a few hundred thousand multiply-adds per layer,
/// which as tensor operations paid more for a dozen calls per layer (and an upload and a download) than
/// for the arithmetic.
/// </summary>
/// <remarks>
/// The statistic and the witness use the off-diagonal sums only: the diagonal k(y, y), computed with the rest,
/// is exactly one per bandwidth (a zero distance) and taken off.
/// </remarks>
internal static class HostWindowStatistics
{
    // A window's own tiles are laid out, used and dropped within one item of the loop below, on its thread.
    [ThreadStatic] private static RowTileScratch? t_tiles;

    /// <param name="windows">Row-major B×m×d window vectors of this layer in its first B×m×d values (a rented array may be longer).</param>
    /// <param name="crossColumnSums">B×m float32 Σ_r k(x_r, y_j) of the windows' events.</param>
    /// <param name="gammas">The reference's kernel γ per bandwidth.</param>
    /// <param name="threads">Threads the windows may be computed on (<see cref="HostWork"/>); the same bits with any.</param>
    /// <returns>Row-major B×(1+m): the observed MMD² then the m witness scores.</returns>
    public static float[] Compute(double referenceTerm, int referenceCount, IReadOnlyList<double> gammas, float[] windows, float[] crossColumnSums, int windowCount, int m, int d, int threads = 1)
    {
        if (m < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(m), m, "A window needs at least 2 events for its within-window term.");
        }

        var result = new float[windowCount * (1 + m)];
        HostWork.Run(windowCount, threads, b =>
        {
            var window = windows.AsSpan(b * m * d, m * d);
            // Every event against the whole window, itself included. The full m×m costs twice the pairs of a
            // triangle but runs in the tiled loop, which is several times faster per pair.
            var offRow = new float[m];
            new HostCrossSums(window, m, d, gammas, t_tiles ??= new RowTileScratch()).Compute(window, offRow);
            for (int j = 0; j < m; j++)
            {
                offRow[j] -= gammas.Count;
            }

            var cross = crossColumnSums.AsSpan(b * m, m);
            double withinOffDiagonal = 0, crossSum = 0;
            for (int j = 0; j < m; j++)
            {
                withinOffDiagonal += offRow[j];
                crossSum += cross[j];
            }

            var output = result.AsSpan(b * (1 + m), 1 + m);
            output[0] = (float)CalibrationPool.Mmd2(referenceTerm, withinOffDiagonal, crossSum, referenceCount, m);
            for (int j = 0; j < m; j++)
            {
                output[1 + j] = offRow[j] / (m - 1) - cross[j] / referenceCount;
            }
        });
        return result;
    }
}
