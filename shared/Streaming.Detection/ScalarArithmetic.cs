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
    public static Tensor Times(this Tensor tensor, long value) => Held(value.ToScalar(), tensor.mul);

    public static Tensor Times(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.mul);

    public static Tensor TimesInPlace(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.mul_);

    public static Tensor Over(this Tensor tensor, long value) => Held(value.ToScalar(), scalar => tensor.div(scalar));

    public static Tensor Over(this Tensor tensor, double value) => Held(value.ToScalar(), scalar => tensor.div(scalar));

    public static Tensor Plus(this Tensor tensor, long value) => Held(value.ToScalar(), tensor.add);

    public static Tensor Plus(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.add);

    public static Tensor Minus(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.sub);

    /// <summary>max(tensor, value) elementwise.</summary>
    public static Tensor AtLeast(this Tensor tensor, long value) => Held(value.ToScalar(), tensor.clamp_min);

    public static Tensor AtLeastInPlace(this Tensor tensor, long value) => Held(value.ToScalar(), tensor.clamp_min_);

    /// <summary>The operation on the scalar, which is referenced (so not finalized) until it returns, then freed.</summary>
    private static Tensor Held(Scalar scalar, Func<Scalar, Tensor> operation)
    {
        using (scalar)
        {
            return operation(scalar);
        }
    }
}
