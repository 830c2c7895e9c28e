using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Streaming.Detection;

/// <summary>
/// The Gaussian kernel in managed code over columns (one component of many vectors, contiguous), so the
/// loops run across vectors with SIMD and never need a horizontal sum per pair. Squared distances are
/// summed from differences, not expanded as ‖x‖² + ‖y‖² − 2x·y: never negative, no centring needed.
/// Every result depends on its inputs and lengths alone, so the same vectors give the same bits.
/// </summary>
internal static class HostKernel
{
    /// <summary>
    /// squaredDistances[i] = Σ_t (columns[t·stride + first + i] − y[t])² for i below its length: the rows first …
    /// first + length − 1 of d columns of <paramref name="stride"/> values against one vector. A register of rows
    /// at a time (four side by side while enough rows are left), summed over t in the register, so a sum is never
    /// stored between components. Each row's sum is the same fused multiply-adds in the same order whichever
    /// way it is reached, so the same vectors give the same bits.
    /// </summary>
    public static void SquaredDistances(ReadOnlySpan<float> columns, int stride, int first, ReadOnlySpan<float> y, Span<float> squaredDistances)
    {
        int d = y.Length;
        int count = squaredDistances.Length;
        if ((long)(d - 1) * stride + first + count > columns.Length)
        {
            throw new ArgumentException($"Rows {first}..{first + count} of {d} columns of {stride} need more than {columns.Length} values.", nameof(columns));
        }

        ref float origin = ref MemoryMarshal.GetReference(columns);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Four registers of rows at a time: four independent sums keep the adds from waiting on each other.
            int w = Vector<float>.Count;
            for (; i <= count - 4 * w; i += 4 * w)
            {
                Vector<float> s0 = Vector<float>.Zero, s1 = Vector<float>.Zero, s2 = Vector<float>.Zero, s3 = Vector<float>.Zero;
                for (int t = 0; t < d; t++)
                {
                    var component = new Vector<float>(y[t]);
                    nuint at = (nuint)(t * stride + first + i);
                    var d0 = Vector.LoadUnsafe(ref origin, at) - component;
                    var d1 = Vector.LoadUnsafe(ref origin, at + (nuint)w) - component;
                    var d2 = Vector.LoadUnsafe(ref origin, at + (nuint)(2 * w)) - component;
                    var d3 = Vector.LoadUnsafe(ref origin, at + (nuint)(3 * w)) - component;
                    s0 = Vector.FusedMultiplyAdd(d0, d0, s0);
                    s1 = Vector.FusedMultiplyAdd(d1, d1, s1);
                    s2 = Vector.FusedMultiplyAdd(d2, d2, s2);
                    s3 = Vector.FusedMultiplyAdd(d3, d3, s3);
                }
                s0.CopyTo(squaredDistances[i..]);
                s1.CopyTo(squaredDistances[(i + w)..]);
                s2.CopyTo(squaredDistances[(i + 2 * w)..]);
                s3.CopyTo(squaredDistances[(i + 3 * w)..]);
            }
            for (; i <= count - Vector<float>.Count; i += Vector<float>.Count)
            {
                var sum = Vector<float>.Zero;
                for (int t = 0; t < d; t++)
                {
                    var difference = Vector.LoadUnsafe(ref origin, (nuint)(t * stride + first + i)) - new Vector<float>(y[t]);
                    sum = Vector.FusedMultiplyAdd(difference, difference, sum);
                }
                sum.CopyTo(squaredDistances[i..]);
            }
        }
        for (; i < count; i++)
        {
            float sum = 0;
            for (int t = 0; t < d; t++)
            {
                float difference = Unsafe.Add(ref origin, t * stride + first + i) - y[t];
                sum = MathF.FusedMultiplyAdd(difference, difference, sum);
            }
            squaredDistances[i] = sum;
        }
    }

    /// <summary>
    /// Writes Σ_s exp(−γ_s d²) of each squared distance into <paramref name="kernels"/> (same length, may be
    /// the same span) and returns their sum (lane-wise partial sums, then the lanes in order).
    /// </summary>
    public static float Apply(ReadOnlySpan<float> squaredDistances, float[] negativeGammas, Span<float> kernels)
    {
        int k = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<float>.Zero;
            for (; k <= squaredDistances.Length - Vector<float>.Count; k += Vector<float>.Count)
            {
                var distances = new Vector<float>(squaredDistances[k..]);
                var value = Vector<float>.Zero;
                foreach (float negativeGamma in negativeGammas)
                {
                    value += Vector.Exp(distances * negativeGamma);
                }
                value.CopyTo(kernels[k..]);
                lanes += value;
            }
            sum = Vector.Sum(lanes);
        }
        for (; k < squaredDistances.Length; k++)
        {
            float value = 0;
            foreach (float negativeGamma in negativeGammas)
            {
                value += MathF.Exp(squaredDistances[k] * negativeGamma);
            }
            kernels[k] = value;
            sum += value;
        }
        return sum;
    }

    /// <summary>−γ per bandwidth, in float32 as the tensor path multiplies by it.</summary>
    public static float[] NegativeGammas(IReadOnlyList<double> gammas) => [.. gammas.Select(g => (float)-g)];

    /// <summary>Row-major rows × d into d columns of rows (component t of row k at t·rows + k).</summary>
    public static void Columns(ReadOnlySpan<float> rowMajor, int rows, int d, Span<float> columns)
    {
        for (int k = 0; k < rows; k++)
        {
            for (int t = 0; t < d; t++)
            {
                columns[t * rows + k] = rowMajor[k * d + t];
            }
        }
    }
}
