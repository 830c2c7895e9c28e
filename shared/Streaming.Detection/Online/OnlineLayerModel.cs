namespace Streaming.Detection.Online;

/// <summary>
/// What the online detector of one layer needs after calibration, all on the host (a per-event
/// update is a few hundred thousand multiply-adds, too small for a device call to pay off):
/// the reference part of the split, its mean kernel value, the thresholds for the first W steps,
/// and the clean vectors that fill a fresh stream's window.
/// </summary>
public sealed class OnlineLayerModel
{
    internal OnlineLayerModel(string layer, int dimension, float[] referencePart, double referenceKernelMean, double[] thresholds, float[] initialWindow, double[] gammas)
    {
        Layer = layer;
        Dimension = dimension;
        ReferencePart = referencePart;
        ReferenceKernelMean = referenceKernelMean;
        Thresholds = thresholds;
        InitialWindow = initialWindow;
        Gammas = gammas;
    }

    public string Layer { get; }

    public int Dimension { get; }

    public int WindowSize => Thresholds.Count;

    public int ReferenceCount => ReferencePart.Length / Dimension;

    /// <summary>Row-major vectors of the reference part of the split.</summary>
    internal float[] ReferencePart { get; }

    /// <summary>Mean of k(x, x') over distinct pairs of the reference part (the first term of the unbiased MMD²).</summary>
    internal double ReferenceKernelMean { get; }

    /// <summary>
    /// Threshold of step t (1-based) is Thresholds[min(t, W) - 1]: while the window still holds some of
    /// its initial clean vectors the statistic is distributed differently, so each of the first W steps
    /// has its own threshold, set conditionally on no alarm before it.
    /// </summary>
    public IReadOnlyList<double> Thresholds { get; }

    /// <summary>W clean vectors (held out of the reference part) that fill a new stream's window.</summary>
    internal float[] InitialWindow { get; }

    internal double[] Gammas { get; }

    public double ThresholdAt(long step) => Thresholds[(int)Math.Min(step, Thresholds.Count) - 1];

    /// <summary>Σ_s exp(-γ_s‖a-b‖²) for two vectors of this layer.</summary>
    internal double Kernel(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double distance = SquaredDistance.Compute(a, b);
        double sum = 0;
        foreach (double gamma in Gammas)
        {
            sum += Math.Exp(-gamma * distance);
        }
        return sum;
    }
}
