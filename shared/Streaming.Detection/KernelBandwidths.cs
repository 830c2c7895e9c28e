namespace Streaming.Detection;

/// <summary>Multipliers of the calibrated (median-heuristic) bandwidth σ whose Gaussian kernels are summed.</summary>
public static class KernelBandwidths
{
    /// <summary>The plain Gaussian kernel at σ.</summary>
    public static IReadOnlyList<double> Single { get; } = [1.0];

    /// <summary>σ × 2^-2 … 2^2: robust when the median heuristic misjudges the scale of the shift.</summary>
    public static IReadOnlyList<double> Multi { get; } = [0.25, 0.5, 1.0, 2.0, 4.0];

    internal static void Validate(IReadOnlyList<double>? scales, string name)
    {
        if (scales is null || scales.Count == 0)
        {
            throw new ArgumentException($"{name} must hold at least one bandwidth multiplier.", name);
        }
        foreach (double scale in scales)
        {
            if (!double.IsFinite(scale) || scale <= 0)
            {
                throw new ArgumentException($"{name} holds {scale}; every bandwidth multiplier must be finite and positive.", name);
            }
        }
    }
}
