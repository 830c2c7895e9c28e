using static TorchSharp.torch;

namespace Streaming.Detection;

internal static class GaussianKernel
{
    /// <summary>
    /// k(x,y) = exp(-γ‖x-y‖²) for all rows of <paramref name="x"/> against all rows of <paramref name="y"/>,
    /// with γ = 1/(2σ²). Squared distances come from one matmul (‖x‖² + ‖y‖² - 2x·y), clamped at 0
    /// because rounding can make the expansion slightly negative for near-identical rows.
    /// </summary>
    public static Tensor Matrix(Tensor x, Tensor xSquaredNorms, Tensor y, Tensor ySquaredNorms, double gamma)
    {
        var squaredDistances = xSquaredNorms.unsqueeze(1) + ySquaredNorms.unsqueeze(0) - 2 * x.matmul(y.t());
        return squaredDistances.clamp_min(0).mul_(-gamma).exp_();
    }

    public static Tensor SquaredNorms(Tensor rows) => rows.square().sum(1);

    public static double Gamma(double bandwidth) => 1.0 / (2.0 * bandwidth * bandwidth);
}
