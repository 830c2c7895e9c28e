using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Streaming.Detection;

/// <summary><see cref="IFloatLanes{TVector}"/> over <see cref="Vector{T}"/>: the width the runtime picks for it (256 bits with AVX2, 128 with NEON or SSE).</summary>
internal readonly struct MachineLanes : IFloatLanes<Vector<float>>
{
    public static int Count => Vector<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref float source) => Vector.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<float> value, ref float destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Broadcast(float value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Add(Vector<float> left, Vector<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Subtract(Vector<float> left, Vector<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Multiply(Vector<float> left, Vector<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MultiplyAdd(Vector<float> left, Vector<float> right, Vector<float> addend) => Vector.FusedMultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> LessThan(Vector<float> left, Vector<float> right) => Vector.AsVectorSingle(Vector.LessThan(left, right));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyLessThan(Vector<float> left, Vector<float> right) => Vector.LessThanAny(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LessThanBits(Vector<float> left, Vector<float> right)
    {
        var mask = Vector.LessThan(left, right);
        // Vector<T> has no bit extraction of its own; its width is a constant to the JIT, so one branch remains.
        if (Vector<int>.Count == Vector256<int>.Count) return mask.AsVector256().ExtractMostSignificantBits();
        if (Vector<int>.Count == Vector128<int>.Count) return mask.AsVector128().ExtractMostSignificantBits();
        if (Vector<int>.Count == Vector512<int>.Count) return mask.AsVector512().ExtractMostSignificantBits();
        ulong bits = 0;
        for (int j = 0; j < Vector<int>.Count; j++)
        {
            if (mask[j] != 0) bits |= 1UL << j;
        }
        return bits;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Select(Vector<float> mask, Vector<float> whereSet, Vector<float> whereClear) => Vector.ConditionalSelect(mask, whereSet, whereClear);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> And(Vector<float> value, Vector<float> mask) => Vector.BitwiseAnd(value, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> AndNot(Vector<float> value, Vector<float> mask) => Vector.AndNot(value, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> TwoToThe(Vector<float> integers) =>
        Vector.AsVectorSingle(Vector.ShiftLeft(Vector.ConvertToInt32(integers) + new Vector<int>(127), 23));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector<float> value) => Vector.Sum(value);
}
