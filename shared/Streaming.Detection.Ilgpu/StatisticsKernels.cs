using ILGPU;

namespace Streaming.Detection.Ilgpu;

/// <summary>
/// The ILGPU kernels of the window test. Kernel entries follow the TorchSharp path: centred vectors,
/// squared distance ‖x‖² + ‖y‖² - 2x·y clamped at 0, Σ_s exp(-γ_s d²) in float32. Unlike the dense
/// TorchSharp path, the permutation statistics walk the index sets (a split has only m window
/// members), so a window costs O(n·m·d) for its kernel blocks plus O(P·m²) for the statistics;
/// sums of many terms accumulate in float64.
/// </summary>
internal static class StatisticsKernels
{
    /// <summary>norms[r] = ‖rows[r]‖².</summary>
    public static void SquaredNorms(Index1D r, KernelShape shape, ArrayView<float> rows, ArrayView<float> norms)
    {
        long start = (long)r.X * shape.Dimension;
        float sum = 0f;
        for (int k = 0; k < shape.Dimension; k++)
        {
            float v = rows[start + k];
            sum += v * v;
        }
        norms[r] = sum;
    }

    /// <summary>Per reference vector i: Σ_j R_ij and R_ii (the n×n block itself is never stored).</summary>
    public static void ReferenceRowSums(Index1D i, KernelShape shape, ArrayView<float> reference, ArrayView<float> norms,
        ArrayView<float> gammas, ArrayView<float> rowSums, ArrayView<float> diagonal)
    {
        double sum = 0;
        for (int j = 0; j < shape.ReferenceCount; j++)
        {
            sum += Entry(reference, i, norms[i], reference, j, norms[j], shape, gammas);
        }
        rowSums[i] = (float)sum;
        diagonal[i] = Entry(reference, i, norms[i], reference, i, norms[i], shape, gammas);
    }

    /// <summary>
    /// Per statistic row p: a_rᵀRa_r, a_r·R1 and a_r·diag(R) over the row's reference members
    /// (sums[3p], sums[3p+1], sums[3p+2]).
    /// </summary>
    public static void ReferencePart(Index1D p, KernelShape shape, ArrayView<float> reference, ArrayView<float> norms, ArrayView<float> gammas,
        ArrayView<float> rowSums, ArrayView<float> diagonal, ArrayView<int> referenceMembers, ArrayView<int> counts, ArrayView<double> sums)
    {
        int m = shape.WindowCount;
        int count = counts[2 * p];
        long start = (long)p.X * m;
        double quadratic = 0, rows = 0, diagonalSum = 0;
        for (int a = 0; a < count; a++)
        {
            int i = referenceMembers[start + a];
            rows += rowSums[i];
            diagonalSum += diagonal[i];
            for (int b = 0; b < count; b++)
            {
                int j = referenceMembers[start + b];
                quadratic += Entry(reference, i, norms[i], reference, j, norms[j], shape, gammas);
            }
        }
        sums[3L * p.X] = quadratic;
        sums[3 * p + 1] = rows;
        sums[3 * p + 2] = diagonalSum;
    }

    /// <summary>cross[b,i,j] = k(reference i, window b sample j), for B·n·m indexes.</summary>
    public static void Cross(Index1D index, KernelShape shape, ArrayView<float> reference, ArrayView<float> referenceNorms,
        ArrayView<float> windows, ArrayView<float> windowNorms, ArrayView<float> gammas, ArrayView<float> cross)
    {
        long n = shape.ReferenceCount, m = shape.WindowCount;
        long b = index / (n * m);
        long rest = index - b * n * m;
        long i = rest / m;
        long j = b * m + rest % m;
        cross[index] = Entry(reference, i, referenceNorms[i], windows, j, windowNorms[j], shape, gammas);
    }

    /// <summary>within[b,j,k] = k(window b sample j, window b sample k), for B·m·m indexes.</summary>
    public static void Within(Index1D index, KernelShape shape, ArrayView<float> windows, ArrayView<float> windowNorms,
        ArrayView<float> gammas, ArrayView<float> within)
    {
        long m = shape.WindowCount;
        long b = index / (m * m);
        long rest = index - b * m * m;
        long j = b * m + rest / m;
        long k = b * m + rest % m;
        within[index] = Entry(windows, j, windowNorms[j], windows, k, windowNorms[k], shape, gammas);
    }

    /// <summary>crossRows[b,i] = Σ_j cross[b,i,j], for B·n indexes.</summary>
    public static void CrossRowSums(Index1D index, KernelShape shape, ArrayView<float> cross, ArrayView<float> crossRows)
    {
        long m = shape.WindowCount;
        double sum = 0;
        for (long j = 0; j < m; j++)
        {
            sum += cross[(long)index.X * m + j];
        }
        crossRows[index] = (float)sum;
    }

    /// <summary>
    /// Per window sample (b, j), B·m indexes: Cᵀ1 + W1 (columnAndRow), W1 (withinRows), W_jj
    /// (withinDiagonal), and the witness score into the output.
    /// </summary>
    public static void WindowColumns(Index1D index, KernelShape shape, ArrayView<float> cross, ArrayView<float> within,
        ArrayView<float> columnAndRow, ArrayView<float> withinRows, ArrayView<float> withinDiagonal, ArrayView<float> output)
    {
        long n = shape.ReferenceCount, m = shape.WindowCount;
        long b = index / m;
        long j = index - b * m;
        double column = 0;
        for (long i = 0; i < n; i++)
        {
            column += cross[(b * n + i) * m + j];
        }
        double row = 0;
        for (long k = 0; k < m; k++)
        {
            row += within[(b * m + j) * m + k];
        }
        float self = within[(b * m + j) * m + j];
        columnAndRow[index] = (float)(column + row);
        withinRows[index] = (float)row;
        withinDiagonal[index] = self;
        output[b * shape.OutputStride + shape.OutputOffset + shape.Rows + j] = (float)((row - self) / (m - 1) - column / n);
    }

    /// <summary>Per window b: 1ᵀC1, 1ᵀW1 and trace(W) (totals[3b..3b+2]).</summary>
    public static void WindowTotals(Index1D b, KernelShape shape, ArrayView<float> crossRows, ArrayView<float> withinRows,
        ArrayView<float> withinDiagonal, ArrayView<double> totals)
    {
        long n = shape.ReferenceCount, m = shape.WindowCount;
        double cross = 0, within = 0, diagonal = 0;
        for (long i = 0; i < n; i++)
        {
            cross += crossRows[b * n + i];
        }
        for (long j = 0; j < m; j++)
        {
            within += withinRows[b * m + j];
            diagonal += withinDiagonal[b * m + j];
        }
        totals[3 * b] = cross;
        totals[3 * b + 1] = within;
        totals[3 * b + 2] = diagonal;
    }

    /// <summary>
    /// The unbiased MMD² of statistic row p of window b (B·rows indexes), from the block sums of the
    /// joint kernel [[R, C], [Cᵀ, W]] over the row's members: aᵀKa = a_rᵀRa_r + 2a_rᵀCa_w + a_wᵀWa_w.
    /// </summary>
    public static void Statistics(Index1D index, KernelShape shape, ArrayView<float> cross, ArrayView<float> within,
        ArrayView<float> crossRows, ArrayView<float> columnAndRow, ArrayView<float> withinDiagonal, ArrayView<double> totals,
        ArrayView<int> members, ArrayView<int> counts, ArrayView<double> referenceSums, ArrayView<float> output)
    {
        long n = shape.ReferenceCount, m = shape.WindowCount;
        long b = index / shape.Rows;
        long p = index - b * shape.Rows;
        int referenceCount = counts[2 * p];
        int windowCount = counts[2 * p + 1];
        long referenceStart = p * m;
        long windowStart = shape.Rows * m + p * m;

        double crossQuadratic = 0, groupRows = referenceSums[3 * p + 1], groupDiagonal = referenceSums[3 * p + 2];
        for (int a = 0; a < referenceCount; a++)
        {
            long i = members[referenceStart + a];
            groupRows += crossRows[b * n + i];
            for (int c = 0; c < windowCount; c++)
            {
                crossQuadratic += cross[(b * n + i) * m + members[windowStart + c]];
            }
        }
        double withinQuadratic = 0;
        for (int a = 0; a < windowCount; a++)
        {
            long j = members[windowStart + a];
            groupRows += columnAndRow[b * m + j];
            groupDiagonal += withinDiagonal[b * m + j];
            for (int c = 0; c < windowCount; c++)
            {
                withinQuadratic += within[(b * m + j) * m + members[windowStart + c]];
            }
        }

        double yyFull = referenceSums[3 * p] + 2 * crossQuadratic + withinQuadratic;
        double total = shape.ReferenceTotal + 2 * totals[3 * b] + totals[3 * b + 1];
        double diagonalTotal = shape.ReferenceDiagonalTotal + totals[3 * b + 2];
        double xy = groupRows - yyFull;
        double xxFull = total - 2 * groupRows + yyFull;
        double xxDiagonal = diagonalTotal - groupDiagonal;
        double statistic = (xxFull - xxDiagonal) / (n * (double)(n - 1))
                         + (yyFull - groupDiagonal) / (m * (double)(m - 1))
                         - 2 * xy / (n * (double)m);
        output[b * shape.OutputStride + shape.OutputOffset + p] = (float)statistic;
    }

    private static float Entry(ArrayView<float> x, long xRow, float xNorm, ArrayView<float> y, long yRow, float yNorm, KernelShape shape, ArrayView<float> gammas)
    {
        long xStart = xRow * shape.Dimension, yStart = yRow * shape.Dimension;
        float dot = 0f;
        for (int k = 0; k < shape.Dimension; k++)
        {
            dot += x[xStart + k] * y[yStart + k];
        }
        float squared = xNorm + yNorm - 2f * dot;
        if (squared < 0f)
        {
            squared = 0f;
        }
        float sum = 0f;
        for (int s = 0; s < shape.GammaCount; s++)
        {
            sum += MathF.Exp(squared * -gammas[s]);
        }
        return sum;
    }
}
