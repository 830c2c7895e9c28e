using System.Numerics;
using System.Runtime.CompilerServices;

namespace Streaming.Detection;

/// <summary>
/// e^x in float32 for the kernel's arguments, −γ·d² ≤ 0: range reduction x = n·ln 2 + r with ln 2 split in two
/// (Cody and Waite), a degree-6 polynomial for e^r on |r| ≤ ln 2 / 2 (Cephes' expf coefficients), and 2^n put
/// into the exponent bits. Relative error within 2·10⁻⁷ of the exact value (Vector.Exp's, measured the same
/// way, is 1.5·10⁻⁷), e^0 = 1 exactly, and 0 below −87.33 (where float32 leaves its normal range) and for −∞.
/// About a third cheaper than Vector.Exp, which was a third of the kernel's time against a reference.
/// Positive arguments are not its domain.
/// </summary>
internal static class NonPositiveExp
{
    /// <summary>ln of float32's smallest normal number, rounded up: below it the result is 0.</summary>
    public const float Smallest = -87.33f;

    private const float Log2E = 1.44269504088896341f;
    // 1.5·2²³: adding it rounds to an integer in the last bits, and subtracting it leaves that integer.
    private const float RoundingShift = 12582912f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Of(Vector<float> x)
    {
        var underflow = Vector.LessThan(x, new Vector<float>(Smallest));
        x = Vector.ConditionalSelect(underflow, new Vector<float>(Smallest), x);
        var n = Vector.FusedMultiplyAdd(x, new Vector<float>(Log2E), new Vector<float>(RoundingShift)) - new Vector<float>(RoundingShift);
        var r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2High), x);
        r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2Low), r);
        var p = Vector.FusedMultiplyAdd(new Vector<float>(1.9875691500E-4f), r, new Vector<float>(1.3981999507E-3f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(8.3334519073E-3f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(4.1665795894E-2f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1.6666665459E-1f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(5.0000001201E-1f));
        var er = Vector.FusedMultiplyAdd(p, r * r, r) + Vector<float>.One;
        var twoToN = Vector.AsVectorSingle(Vector.ShiftLeft(Vector.ConvertToInt32(n) + new Vector<int>(127), 23));
        return Vector.AndNot(er * twoToN, Vector.AsVectorSingle(underflow));
    }
}
