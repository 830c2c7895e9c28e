namespace Streaming.Detection;

/// <param name="Layers">One outcome per reference layer, in reference order.</param>
/// <param name="Alert">CombinedPValue &lt; Alpha.</param>
/// <param name="TopSampleIndices">Window sample indices, highest witness score first (summed over rejected layers, or all layers when none is rejected).</param>
public sealed record WindowTestOutcome(
    IReadOnlyList<LayerTestOutcome> Layers,
    CorrectionMethod Correction,
    double Alpha,
    double CombinedPValue,
    bool Alert,
    IReadOnlyList<int> TopSampleIndices,
    TimeSpan Duration)
{
    /// <summary>The null the layers' p-values were computed against (permutations unless a precomputed one served this window's size).</summary>
    public MmdNullMode Null { get; init; } = MmdNullMode.Permutation;
}
