using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Detection;

/// <summary>
/// Share of K subsampled permutation tests that reject (see <see cref="DetectionRateOptions"/>).
/// The K sub-kernels are cut from one joint kernel and tested together in one batched matmul.
/// </summary>
public static class DetectionRateEstimator
{
    /// <param name="level">Per-subtest significance level.</param>
    /// <returns>The share of subtests with p &lt; <paramref name="level"/>, in [0, 1].</returns>
    public static double RejectionShare(DeviceReference reference, IReadOnlyList<float[]> window, DetectionRateOptions options, double level, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The subtest level must lie in (0, 1).");
        }
        reference.ThrowIfDisposed();
        if (window is null || window.Count < 2)
        {
            throw new ArgumentException($"Window for layer '{reference.Layer}' needs at least 2 vectors for the detection rate.", nameof(window));
        }
        float[] flat = VectorMatrix.Flatten(window, reference.Dimension, $"window vectors of layer '{reference.Layer}'", out _);
        int n = reference.Count;
        int m = window.Count;
        int subReference = Math.Min(options.ReferenceSamples, n);
        int subWindow = Math.Min(options.WindowSamples, m);

        // Subsample indices on the host with a seeded generator: reproducible on any device.
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var indices = new long[options.Tests * (subReference + subWindow)];
        int next = 0;
        for (int k = 0; k < options.Tests; k++)
        {
            foreach (int i in Choose(random, n, subReference))
            {
                indices[next++] = i;
            }
            foreach (int j in Choose(random, m, subWindow))
            {
                indices[next++] = n + j;
            }
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (joint, _, _) = MmdPermutationTest.JointKernel(reference, flat, m);
        int size = subReference + subWindow;
        var index = torch.tensor(indices, [options.Tests, size], device: reference.Device);
        // K×size×size sub-kernels: rows then columns picked by each subtest's indices.
        var rows = joint.index_select(0, index.flatten()).view(options.Tests, size, n + m);
        var subKernels = rows.gather(2, index.unsqueeze(1).expand(options.Tests, size, size));

        var groups = PermutationStatistics.ObservedThenRandom(subReference, subWindow, options.Permutations, seed, reference.Device);
        var statistics = BatchedUnbiasedMmd2(subKernels, groups, subReference, subWindow);   // K×(P+1)
        var observed = statistics.narrow(1, 0, 1);
        // "Not below" instead of "≥", as in PermutationPValue: NaN on either side counts against a rejection.
        var atLeast = statistics.narrow(1, 1, options.Permutations).lt(observed).logical_not().sum(1).to(ScalarType.Float32);
        var pValues = atLeast.Plus(1).Over(options.Permutations + 1.0);
        float[] host = TensorTransfer.Download(pValues);
        return host.Count(p => p < level) / (double)options.Tests;
    }

    /// <summary><see cref="PermutationStatistics.UnbiasedMmd2"/> for a batch of kernels sharing one group matrix.</summary>
    private static Tensor BatchedUnbiasedMmd2(Tensor kernels, Tensor groups, int n, int m)
    {
        var rowSums = kernels.sum(-1);                       // K×N
        var diagonal = kernels.diagonal(0, -2, -1);          // K×N
        var total = rowSums.sum(-1, keepdim: true);          // K×1
        var diagonalTotal = diagonal.sum(-1, keepdim: true);
        var yyFull = (groups.matmul(kernels) * groups).sum(-1);   // K×(P+1)
        var windowRowSums = rowSums.matmul(groups.t());
        var yyDiagonal = diagonal.matmul(groups.t());
        var xy = windowRowSums - yyFull;
        var xxFull = total - windowRowSums.Times(2) + yyFull;
        var xxDiagonal = diagonalTotal - yyDiagonal;
        return (xxFull - xxDiagonal).Over((double)n * (n - 1))
             + (yyFull - yyDiagonal).Over((double)m * (m - 1))
             - xy.Times(2).Over((double)n * m);
    }

    private static int[] Choose(Random random, int count, int take)
    {
        var all = Enumerable.Range(0, count).ToArray();
        if (take >= count)
        {
            return all;
        }
        random.Shuffle(all);
        return all[..take];
    }
}
