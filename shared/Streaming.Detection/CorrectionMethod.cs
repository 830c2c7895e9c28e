namespace Streaming.Detection;

/// <summary>How per-layer p-values are combined into one p-value for the window.</summary>
public enum CorrectionMethod
{
    /// <summary>min(1, L·min p). Valid under any dependence between layers.</summary>
    Bonferroni,

    /// <summary>-2 Σ ln p against χ² with 2L degrees of freedom. Assumes independent layers, which
    /// layers of one network are not, so it is anti-conservative there; offered for comparison.</summary>
    Fisher,

    /// <summary>min_i L·p₍ᵢ₎ / i. Valid under positive dependence; at least as powerful as Bonferroni.</summary>
    Simes,
}
