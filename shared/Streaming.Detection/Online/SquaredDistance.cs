using System.Numerics;
using System.Runtime.InteropServices;

namespace Streaming.Detection.Online;

internal static class SquaredDistance
{
    /// <summary>‖a-b‖², summed in SIMD lanes of float (vectors of activations have at most a few thousand components).</summary>
    public static double Compute(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        double total = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var lanes = Vector<float>.Zero;
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b[..a.Length]);
            for (int v = 0; v < va.Length; v++)
            {
                var difference = va[v] - vb[v];
                lanes += difference * difference;
            }
            total = Vector.Sum(lanes);
            i = va.Length * Vector<float>.Count;
        }
        for (; i < a.Length; i++)
        {
            double difference = a[i] - b[i];
            total += difference * difference;
        }
        return total;
    }
}
