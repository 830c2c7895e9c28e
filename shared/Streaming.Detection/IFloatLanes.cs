namespace Streaming.Detection;

/// <summary>
/// The operations <see cref="RowTiles"/>, its sinks and <see cref="NonPositiveExp"/> take on one SIMD register
/// of floats, so the same loops compile for each register width (a struct type argument: the JIT specialises
/// and inlines every call). Each member is the one vector instruction of its name, so a width gets the same
/// bits from every loop written with it.
/// </summary>
/// <typeparam name="TVector">The register type.</typeparam>
internal interface IFloatLanes<TVector> where TVector : struct
{
    /// <summary>Floats per register.</summary>
    static abstract int Count { get; }

    static abstract TVector Load(ref float source);

    static abstract void Store(TVector value, ref float destination);

    static abstract TVector Broadcast(float value);

    static abstract TVector Add(TVector left, TVector right);

    static abstract TVector Subtract(TVector left, TVector right);

    static abstract TVector Multiply(TVector left, TVector right);

    /// <summary>left·right + addend, rounded once.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);

    /// <summary>All bits set in the lanes where left &lt; right.</summary>
    static abstract TVector LessThan(TVector left, TVector right);

    static abstract bool AnyLessThan(TVector left, TVector right);

    /// <summary>Bit j set where lane j of left is &lt; lane j of right.</summary>
    static abstract ulong LessThanBits(TVector left, TVector right);

    /// <summary>Per lane: <paramref name="whereSet"/>'s where the mask's bits are set, else <paramref name="whereClear"/>'s.</summary>
    static abstract TVector Select(TVector mask, TVector whereSet, TVector whereClear);

    static abstract TVector And(TVector value, TVector mask);

    /// <summary>value with the mask's bits cleared.</summary>
    static abstract TVector AndNot(TVector value, TVector mask);

    /// <summary>2ⁿ per lane for lanes holding integers n in float32's normal exponent range, built in the exponent bits.</summary>
    static abstract TVector TwoToThe(TVector integers);

    /// <summary>The lanes' sum.</summary>
    static abstract float Sum(TVector value);
}
