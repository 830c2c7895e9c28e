using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Streaming.Detection;

/// <summary>
/// <see cref="IFloatLanes{TVector}"/> over 512-bit registers (AVX-512). The runtime keeps <see cref="System.Numerics.Vector{T}"/>
/// at 256 bits on such processors, and says whether 512-bit code is worth running with
/// <see cref="Vector512.IsHardwareAccelerated"/> (false where it would slow the core, or with
/// <c>DOTNET_PreferredVectorBitWidth=256</c>); <see cref="RowTiles"/> uses these registers where it is true.
/// </summary>
internal readonly struct Vector512Lanes : IFloatLanes<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source) => Vector512.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> left, Vector512<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> left, Vector512<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend) => Vector512.FusedMultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LessThan(Vector512<float> left, Vector512<float> right) => Vector512.LessThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyLessThan(Vector512<float> left, Vector512<float> right) => Vector512.LessThanAny(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LessThanBits(Vector512<float> left, Vector512<float> right) => Vector512.LessThan(left, right).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Select(Vector512<float> mask, Vector512<float> whereSet, Vector512<float> whereClear) => Vector512.ConditionalSelect(mask, whereSet, whereClear);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> And(Vector512<float> value, Vector512<float> mask) => value & mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> AndNot(Vector512<float> value, Vector512<float> mask) => Vector512.AndNot(value, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> TwoToThe(Vector512<float> integers) =>
        Vector512.ShiftLeft(Vector512.ConvertToInt32(integers) + Vector512.Create(127), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);
}
