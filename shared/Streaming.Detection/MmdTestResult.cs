namespace Streaming.Detection;

/// <param name="Mmd2">Unbiased MMD² of the window against the reference (may be slightly negative).</param>
/// <param name="PValue">(1 + #{permutation statistics ≥ observed}) / (1 + P); never 0.</param>
/// <param name="WitnessScores">Per window sample: mean kernel to the window minus mean kernel to the reference.</param>
public sealed record MmdTestResult(
    string Layer,
    double Mmd2,
    double PValue,
    int Permutations,
    IReadOnlyList<float> WitnessScores);
