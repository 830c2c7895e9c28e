namespace Streaming.Detection.Scoring;

/// <summary>How <see cref="PerInputScorer"/> fuses an input's per-layer p-values into one.</summary>
public enum LayerFusion
{
    /// <summary>
    /// The sum of the log per-layer p-values, itself made a conformal p-value against the same
    /// statistic of the calibration split (default). Valid under any dependence between layers: the
    /// statistic is only a way to rank inputs, its null distribution is the calibration split's and
    /// never a χ² that assumes independence. Its smallest value is 1/(n_cal + 1), where Bonferroni's
    /// is L/(n_cal + 1), and an input that is unusual in several layers at once ranks beyond one that
    /// is extreme in one layer only: per-input evidence strong enough for a window of 100 to flag 5 events.
    /// </summary>
    Conformal,

    /// <summary>min(1, L · min p): valid under any dependence by the union bound; costs a factor L.</summary>
    Bonferroni,
}
