using System.Runtime.InteropServices;

namespace Streaming.Detection;

/// <summary>
/// Bit-for-bit equality of float vectors: what every cache of per-event or per-window results checks
/// before reusing one, so that a reused result is the one recomputing would give (NaN payloads and
/// signed zeros included, which == would not tell apart).
/// </summary>
public static class BitIdentical
{
    public static bool Vector(float[] a, float[] b) =>
        MemoryMarshal.AsBytes(a.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(b.AsSpan()));

    /// <summary>The same number of vectors, each bit-identical to the other's at the same place.</summary>
    public static bool Vectors(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
        {
            if (!Vector(a[i], b[i])) return false;
        }
        return true;
    }
}
