using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Detection;

/// <summary>
/// Permutation statistics and witness scores of B windows (same size m) of one layer in one set of
/// batched device operations, on top of the cached <see cref="ReferencePermutationPart"/>.
/// </summary>
internal static class BatchedLayerStatistics
{
    /// <param name="windows">B×m×d window vectors on the reference's device.</param>
    /// <returns>B×(P+1) statistics (column 0 observed) and B×m witness scores.</returns>
    public static (Tensor Statistics, Tensor Witness) Compute(DeviceReference reference, ReferencePermutationPart part, Tensor windows)
    {
        double n = reference.Count;
        double m = part.WindowCount;
        var centred = windows - reference.Mean;
        var norms = GaussianKernel.SquaredNorms(centred);
        var cross = GaussianKernel.Matrix(reference.Centred, reference.SquaredNorms, centred, norms, reference.Gammas);   // B×n×m
        var within = GaussianKernel.Matrix(centred, norms, centred, norms, reference.Gammas);                            // B×m×m

        // Explicit bmm with expanded group matrices, never a matmul that folds the batch into the
        // rows of one gemm: each window then goes through the same per-window kernel whatever B is,
        // so a batch gives bit-for-bit the results of testing each window alone.
        long batch = windows.shape[0];
        var aR = part.ReferenceGroups.expand(batch, -1, -1);        // B×(P+1)×n
        var aW = part.WindowGroups.expand(batch, -1, -1);           // B×(P+1)×m
        var crossQuadratic = (torch.bmm(aR, cross) * aW).sum(-1);   // B×(P+1): a_rᵀ C a_w
        var withinQuadratic = (torch.bmm(aW, within) * aW).sum(-1); // B×(P+1): a_wᵀ W a_w
        var yyFull = part.ReferenceQuadratic + crossQuadratic.Times(2) + withinQuadratic;

        var crossRowSums = cross.sum(-1);                                     // B×n: C1
        var crossColumnSums = cross.transpose(-1, -2).contiguous().sum(-1);   // B×m: Cᵀ1 (inner reductions only)
        var withinRowSums = within.sum(-1);                                   // B×m: W1
        var withinDiagonal = within.diagonal(0, -2, -1).contiguous();         // B×m
        var groupRowSums = part.ReferenceRowSums
            + RowDot(crossRowSums, aR)                                        // a_r·C1
            + RowDot(crossColumnSums + withinRowSums, aW);                    // a_w·(Cᵀ1 + W1)
        var yyDiagonal = part.ReferenceDiagonal + RowDot(withinDiagonal, aW);

        var referenceTotal = reference.Kernel.sum(1).sum();
        var total = (referenceTotal + crossRowSums.sum(-1).Times(2) + withinRowSums.sum(-1)).unsqueeze(-1);   // B×1
        var diagonalTotal = (reference.Kernel.diagonal().sum() + withinDiagonal.sum(-1)).unsqueeze(-1);

        var xy = groupRowSums - yyFull;
        var xxFull = total - groupRowSums.Times(2) + yyFull;
        var xxDiagonal = diagonalTotal - yyDiagonal;
        var statistics = (xxFull - xxDiagonal).Over(n * (n - 1))
                       + (yyFull - yyDiagonal).Over(m * (m - 1))
                       - xy.Times(2).Over(n * m);

        var toWindow = (within.sum(-1) - withinDiagonal).Over(m - 1);
        var toReference = crossColumnSums.Over(n);
        return (statistics, toWindow - toReference);
    }

    /// <summary>Per window b and group row p: vectors[b] · groups[b, p], as a batched product.</summary>
    private static Tensor RowDot(Tensor vectors, Tensor groups) =>
        torch.bmm(groups, vectors.unsqueeze(-1)).squeeze(-1);
}
