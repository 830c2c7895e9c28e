namespace Streaming.Detection.Scoring;

/// <summary>How <see cref="PerInputScorer"/> fuses an input's per-layer p-values into one.</summary>
public enum LayerFusion
{
    /// <summary>
    /// The smallest per-layer p-value, itself made a conformal p-value against the same statistic of
    /// the calibration split (default). Valid under any dependence between layers: the statistic only
    /// ranks inputs, its null distribution is the calibration split's. Adversarial inputs are extreme
    /// in one or two layers and ordinary in others (measured, PGD 0.3 on small-cnn: median layer
    /// p-values 0.032, 0.001, 0.37, 0.36), so a minimum keeps their evidence where a sum of logs
    /// diluted it (median fused p 0.021 with the sum); against Bonferroni's L · min p it gains what
    /// the layers' dependence gives (clean inputs extreme in one layer tend to be extreme in the next).
    /// </summary>
    Conformal,

    /// <summary>min(1, L · min p): valid under any dependence by the union bound; costs a factor L.</summary>
    Bonferroni,
}
