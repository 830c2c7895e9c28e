using System.Runtime.InteropServices;
using Streaming.Detection.Compute;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Detection;

/// <summary>
/// Unbiased MMD² for many group assignments at once. Each row a of the P×N 0/1 matrix A marks the
/// m samples of the "window" group (the other n form the "reference" group). With r = K·1 and
/// T = 1ᵀK1, every block sum follows from one matmul A·K:
///   S_YY = aᵀKa = rowsum((A·K) ∘ A),   S_XY = aᵀK(1-a) = a·r - S_YY,
///   S_XX = (1-a)ᵀK(1-a) = T - 2a·r + S_YY,
/// and the unbiased estimator drops the diagonal terms (a·diag(K) for Y, the rest for X).
/// </summary>
internal static class PermutationStatistics
{
    /// <returns>P statistics, float32 on the device of <paramref name="kernel"/>.</returns>
    public static Tensor UnbiasedMmd2(Tensor kernel, Tensor windowGroups, int referenceCount, int windowCount)
    {
        double n = referenceCount;
        double m = windowCount;

        var rowSums = kernel.sum(1);
        var diagonal = kernel.diagonal();
        var total = rowSums.sum();
        var diagonalTotal = diagonal.sum();

        var projected = windowGroups.matmul(kernel);                 // P×N, the one large product
        var yyFull = (projected * windowGroups).sum(1);              // aᵀKa
        var windowRowSums = windowGroups.matmul(rowSums);            // aᵀK1
        var yyDiagonal = windowGroups.matmul(diagonal);              // Σ_{i∈Y} k(i,i)

        var xy = windowRowSums - yyFull;
        var xxFull = total - windowRowSums.Times(2) + yyFull;
        var xxDiagonal = diagonalTotal - yyDiagonal;

        return (xxFull - xxDiagonal).Over(n * (n - 1))
             + (yyFull - yyDiagonal).Over(m * (m - 1))
             - xy.Times(2).Over(n * m);
    }

    /// <summary>
    /// Mean kernel of each window sample to the other window samples minus its mean kernel to the
    /// reference: the empirical witness function evaluated on the window. High values mark samples
    /// in regions the window covers and the reference does not.
    /// </summary>
    public static Tensor Witness(Tensor referenceWindowKernel, Tensor windowKernel)
    {
        long m = windowKernel.shape[0];
        long n = referenceWindowKernel.shape[0];
        var toWindow = (windowKernel.sum(1) - windowKernel.diagonal()).Over(m - 1);
        // Named argument: a bare literal 0 would bind to the sum(ScalarType) overload (0 converts to any enum).
        var toReference = referenceWindowKernel.sum(dim: 0).Over(n);
        return toWindow - toReference;
    }

    /// <summary>Row 0: the observed split (reference first, window last); rows 1..P: random splits.</summary>
    public static Tensor ObservedThenRandom(int referenceCount, int windowCount, int permutations, ulong seed, Device device)
    {
        int total = referenceCount + windowCount;
        var observed = torch.cat([
            torch.zeros(referenceCount, ScalarType.Float32, device),
            torch.ones(windowCount, ScalarType.Float32, device)]).unsqueeze(0);
        var chosen = RandomChoices(referenceCount, windowCount, permutations, seed, device);
        var random = torch.zeros([permutations, total], ScalarType.Float32, device)
            .scatter_(1, chosen, torch.ones([permutations, windowCount], ScalarType.Float32, device));
        return torch.cat([observed, random], 0);
    }

    /// <summary>
    /// The random splits of <see cref="ObservedThenRandom"/> as index sets, for any backend: the same
    /// seed and device give the same splits, so a backend handed this set tests the same permutations.
    /// </summary>
    public static PermutationSet RandomSet(int referenceCount, int windowCount, int permutations, ulong seed, Device device)
    {
        using var scope = torch.NewDisposeScope();
        var chosen = RandomChoices(referenceCount, windowCount, permutations, seed, device);
        using var host = chosen.cpu().contiguous();
        return PermutationSet.FromChosen(referenceCount, windowCount, permutations, MemoryMarshal.Cast<byte, long>(host.bytes));
    }

    /// <summary>P × m rows of the joint positions that play the window, one uniformly random split per row.</summary>
    private static Tensor RandomChoices(int referenceCount, int windowCount, int permutations, ulong seed, Device device)
    {
        // A random permutation per row is the argsort of i.i.d. uniforms; its first m entries
        // are the samples that play the window. The seeded generator makes p-values reproducible.
        using var generator = new Generator(seed, device);
        var noise = torch.rand([permutations, referenceCount + windowCount], ScalarType.Float32, device, generator: generator);
        return noise.argsort(1).narrow(1, 0, windowCount);
    }

    /// <summary>(P+1) × (n+m) 0/1 group rows of a set: row 0 the observed split, then one row per permutation.</summary>
    public static Tensor Groups(PermutationSet permutations, Device device)
    {
        int total = permutations.ReferenceCount + permutations.WindowCount;
        var rows = new float[(permutations.Permutations + 1) * total];
        rows.AsSpan(permutations.ReferenceCount, permutations.WindowCount).Fill(1f);
        var chosen = permutations.Chosen;
        for (int k = 0; k < chosen.Length; k++)
        {
            rows[(1 + k / permutations.WindowCount) * total + chosen[k]] = 1f;
        }
        return TensorTransfer.Upload(rows, permutations.Permutations + 1, total, device);
    }
}
