using static TorchSharp.torch;

namespace Streaming.Detection;

internal static class GaussianKernel
{
    /// <summary>
    /// Works batched too: x (n×d) or (B×n×d) against y (B×m×d) gives B×n×m.
    /// k(x,y) = Σ_s exp(-γ_s‖x-y‖²) for all rows of <paramref name="x"/> against all rows of <paramref name="y"/>,
    /// with γ_s = 1/(2σ_s²) (one term for the plain Gaussian kernel, several for the multi-bandwidth one).
    /// Squared distances come from one matmul (‖x‖² + ‖y‖² - 2x·y), clamped at 0 because rounding can
    /// make the expansion slightly negative for near-identical rows.
    /// </summary>
    public static Tensor Matrix(Tensor x, Tensor xSquaredNorms, Tensor y, Tensor ySquaredNorms, IReadOnlyList<double> gammas)
    {
        if (x.dim() == 2 && y.dim() == 3)
        {
            // Expanded so the product is a bmm, one gemm per window: a 2-D × 3-D matmul would fold
            // the batch into one gemm whose rounding depends on the batch size.
            x = x.expand(y.shape[0], -1, -1);
            xSquaredNorms = xSquaredNorms.expand(y.shape[0], -1);
        }
        var squaredDistances = (xSquaredNorms.unsqueeze(-1) + ySquaredNorms.unsqueeze(-2) - x.matmul(y.transpose(-1, -2)).Times(2)).AtLeast(0);
        return FromSquaredDistances(squaredDistances, gammas);
    }

    /// <summary>Σ_s exp(-γ_s d²) of squared distances (consumed: the single-bandwidth kernel is computed in place).</summary>
    public static Tensor FromSquaredDistances(Tensor squaredDistances, IReadOnlyList<double> gammas)
    {
        if (gammas.Count == 1)
        {
            return squaredDistances.TimesInPlace(-gammas[0]).exp_();
        }
        Tensor sum = squaredDistances.Times(-gammas[0]).exp_();
        for (int s = 1; s < gammas.Count; s++)
        {
            sum.add_(squaredDistances.Times(-gammas[s]).exp_());
        }
        return sum;
    }

    public static Tensor Matrix(Tensor x, Tensor xSquaredNorms, Tensor y, Tensor ySquaredNorms, double gamma) =>
        Matrix(x, xSquaredNorms, y, ySquaredNorms, [gamma]);

    public static Tensor SquaredNorms(Tensor rows) => rows.square().sum(-1);

    public static double Gamma(double bandwidth) => 1.0 / (2.0 * bandwidth * bandwidth);

    /// <summary>
    /// γ per bandwidth σ·scale. Refuses a γ that is not finite in float32 (σ below about 4·10⁻²⁰):
    /// the kernel would multiply a zero distance by Inf and turn the diagonal into NaN.
    /// </summary>
    public static double[] Gammas(double bandwidth, IReadOnlyList<double> scales)
    {
        double[] gammas = [.. scales.Select(scale => Gamma(bandwidth * scale))];
        foreach (double gamma in gammas)
        {
            if (!float.IsFinite((float)gamma))
            {
                throw new ArgumentException(
                    $"Bandwidth {bandwidth:G6} with multipliers [{string.Join(", ", scales)}] gives a kernel γ of {gamma:G6}, beyond float32; the bandwidth is too small.",
                    nameof(bandwidth));
            }
        }
        return gammas;
    }
}
