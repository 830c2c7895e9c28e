namespace Streaming.Detection.Scanning;

/// <summary>Which values of a node count as extreme against its clean background.</summary>
public enum PValueTail
{
    /// <summary>
    /// Larger than the background: p = (1 + #{background ≥ x}) / (n + 1). The choice of Cintas et al.
    /// and ART for activations, which adversarial inputs drive up (after a ReLU, a zero gets p ≈ 1).
    /// </summary>
    Upper,

    /// <summary>Either tail: p = min(1, 2·min(upper, lower)), lower = (1 + #{background ≤ x}) / (n + 1).</summary>
    TwoSided,
}
