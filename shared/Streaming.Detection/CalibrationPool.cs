using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Detection;

/// <summary>
/// What one layer's precomputed null needs from the held-out calibration split, kept on the host:
/// the kernel among the pool's vectors (c×c), each pool vector's kernel sum against the reference,
/// and the reference-only term of the unbiased MMD². A clean window of m pool vectors then has
/// MMD² = ReferenceTerm + Σ_{i≠j} W_ij / (m(m−1)) − 2 Σ_i CrossSums_i / (n m), from lookups alone,
/// so a null of N windows costs N·m² additions instead of N kernel evaluations against the reference.
/// </summary>
internal sealed class CalibrationPool
{
    /// <summary>
    /// Most calibration vectors used (the first ones of the split, which is in seeded random order):
    /// bounds the c×c kernel kept per layer to 16 MiB. Windows are subsets of this pool.
    /// </summary>
    public const int MaxCount = 2048;

    private readonly float[] _within;
    private readonly double[] _crossSums;

    private CalibrationPool(int count, int referenceCount, float[] within, double[] crossSums, double referenceTerm)
    {
        if (within.LongLength != (long)count * count || crossSums.Length != count)
        {
            throw new InvalidOperationException($"Calibration pool of {count}: kernel of {within.LongLength} values and {crossSums.Length} cross sums.");
        }
        Count = count;
        ReferenceCount = referenceCount;
        _within = within;
        _crossSums = crossSums;
        ReferenceTerm = referenceTerm;
    }

    /// <summary>Pool vectors (at most <see cref="MaxCount"/>).</summary>
    public int Count { get; }

    public int ReferenceCount { get; }

    /// <summary>Σ_{r≠s} k(x_r, x_s) / (n(n−1)) over the reference: the same for every window.</summary>
    public double ReferenceTerm { get; }

    /// <param name="calibration">The split's vectors of this layer, row-major, <paramref name="calibrationCount"/> × dimension.</param>
    public static CalibrationPool Build(DeviceReference reference, float[] calibration, int calibrationCount)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(calibration);
        int count = Math.Min(calibrationCount, MaxCount);
        int n = reference.Count;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var pool = TensorTransfer.Upload(calibration[..(count * reference.Dimension)], count, reference.Dimension, reference.Device) - reference.Mean;
        var norms = GaussianKernel.SquaredNorms(pool);
        var within = GaussianKernel.Matrix(pool, norms, pool, norms, reference.Gammas);                                    // c×c
        var cross = GaussianKernel.Matrix(reference.Centred, reference.SquaredNorms, pool, norms, reference.Gammas);       // n×c
        double[] crossSums = TensorTransfer.DownloadDoubles(cross.to(ScalarType.Float64).sum(0L));
        var kernel = reference.Kernel.to(ScalarType.Float64);
        double referenceTerm = (kernel.sum().ToDouble() - kernel.diagonal().sum().ToDouble()) / ((double)n * (n - 1));
        return new CalibrationPool(count, n, TensorTransfer.Download(within), crossSums, referenceTerm);
    }

    /// <summary>The unbiased MMD² from its three parts; the one formula for null and observed windows.</summary>
    public static double Mmd2(double referenceTerm, double withinOffDiagonal, double crossSum, int referenceCount, int windowCount) =>
        referenceTerm
        + withinOffDiagonal / ((double)windowCount * (windowCount - 1))
        - 2 * crossSum / ((double)referenceCount * windowCount);

    /// <summary>MMD² of the clean window made of pool vectors <paramref name="members"/> (distinct).</summary>
    public float Statistic(ReadOnlySpan<int> members)
    {
        double within = 0, cross = 0;
        for (int a = 0; a < members.Length; a++)
        {
            int row = members[a] * Count;
            cross += _crossSums[members[a]];
            for (int b = 0; b < members.Length; b++)
            {
                if (a != b)
                {
                    within += _within[row + members[b]];
                }
            }
        }
        return (float)Mmd2(ReferenceTerm, within, cross, ReferenceCount, members.Length);
    }
}
