using Streaming.Detection;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Lab.Benchmarks;

/// <summary>
/// The naive alternative the vectorised test replaces: one permutation at a time, gathering the
/// XX, YY and XY sub-blocks of the kernel matrix and summing them. Kept only for the benchmark.
/// </summary>
internal static class PermutationLoopBaseline
{
    /// <returns>Row p of <paramref name="windowGroups"/>'s statistic, computed one row at a time.</returns>
    public static float[] UnbiasedMmd2(Tensor kernel, Tensor windowGroups, int n, int m)
    {
        long permutations = windowGroups.shape[0];
        var statistics = new float[permutations];
        for (long p = 0; p < permutations; p++)
        {
            using var scope = torch.NewDisposeScope();
            var row = windowGroups[p];
            var y = row.nonzero().squeeze(1);
            var x = (row == 0).nonzero().squeeze(1);
            var kxx = kernel.index_select(0, x).index_select(1, x);
            var kyy = kernel.index_select(0, y).index_select(1, y);
            var kxy = kernel.index_select(0, x).index_select(1, y);
            var value = (kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1.0))
                      + (kyy.sum() - kyy.diagonal().sum()) / (m * (m - 1.0))
                      - 2 * kxy.sum() / ((double)n * m);
            statistics[p] = value.cpu().item<float>();
        }
        return statistics;
    }
}
