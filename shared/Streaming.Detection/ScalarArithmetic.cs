using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Detection;

/// <summary>
/// A tensor with a number, the number held alive until the call returns. TorchSharp turns a bare number into a
/// finalizable <see cref="Scalar"/> and hands libtorch only its raw handle, so a collection during the call could
/// free it while libtorch reads it (seen once: "Expected false to be true … toDouble" from <c>clamp_min(0)</c> in a
/// bench run). Each method creates the same scalar the operator would (an integer as int64, else float64), so the
/// results are the same bits.
/// </summary>
internal static class ScalarArithmetic
{
    public static Tensor Times(this Tensor tensor, long value)
    {
        using var scalar = value.ToScalar();
        return tensor.mul(scalar);
    }

    public static Tensor Times(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.mul(scalar);
    }

    public static Tensor TimesInPlace(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.mul_(scalar);
    }

    public static Tensor Over(this Tensor tensor, long value)
    {
        using var scalar = value.ToScalar();
        return tensor.div(scalar);
    }

    public static Tensor Over(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.div(scalar);
    }

    public static Tensor Plus(this Tensor tensor, long value)
    {
        using var scalar = value.ToScalar();
        return tensor.add(scalar);
    }

    public static Tensor Plus(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.add(scalar);
    }

    public static Tensor Minus(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.sub(scalar);
    }

    /// <summary>max(tensor, value) elementwise.</summary>
    public static Tensor AtLeast(this Tensor tensor, long value)
    {
        using var scalar = value.ToScalar();
        return tensor.clamp_min(scalar);
    }

    public static Tensor AtLeastInPlace(this Tensor tensor, long value)
    {
        using var scalar = value.ToScalar();
        return tensor.clamp_min_(scalar);
    }
}
