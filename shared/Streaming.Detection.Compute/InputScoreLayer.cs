namespace Streaming.Detection.Compute;

/// <summary>
/// One layer as <see cref="IInputScoreBackend"/> needs it: the reference vectors with their labels
/// (for the k-NN search and its label disagreement) and, with labels, the class model reduced to what
/// a score needs: the whitening W = L⁻¹ of the shrunk covariance Σ = LLᵀ and the whitened class
/// means Wμ_c, so that the class distance is ‖Wx − Wμ_c‖².
/// </summary>
/// <param name="Vectors">Row-major Count × Dimension reference vectors.</param>
/// <param name="Labels">Per reference vector its class; null for a reference without labels.</param>
/// <param name="Whitening">Row-major Dimension × Dimension lower-triangular L⁻¹; null without labels.</param>
/// <param name="WhitenedMeans">Row-major Classes × Dimension Wμ_c (rows of unseen classes are ignored); null without labels.</param>
/// <param name="ClassSeen">Per class whether the reference holds it; null without labels.</param>
public sealed record InputScoreLayer(
    string Name, float[] Vectors, int Count, int Dimension, int[]? Labels,
    double[]? Whitening, double[]? WhitenedMeans, bool[]? ClassSeen)
{
    public int Classes => ClassSeen?.Length ?? 0;

    public bool HasClassModel => Labels is not null && Whitening is not null && WhitenedMeans is not null && ClassSeen is not null;
}
