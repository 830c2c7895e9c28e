namespace Streaming.Detection.Scoring;

/// <summary>
/// Per-input result of <see cref="PerInputScorer"/>: how unusual one event is against the clean
/// reference, per layer and fused, and whether it carries evidence specific to adversarial inputs.
/// Every number is finite.
/// </summary>
/// <param name="LayerScores">Nonconformity score per reference layer (larger = less like the reference).</param>
/// <param name="LayerPValues">Conformal p-value per reference layer, in [1/(n_cal+1), 1].</param>
/// <param name="FusedPValue">The layers fused (<see cref="PerInputScorerOptions.Fusion"/>): a conformal p-value of Σ log p (default) or Bonferroni.</param>
/// <param name="SmallestLayer">Index of the layer with the smallest p-value.</param>
/// <param name="SmallestLayerName">Name of that layer.</param>
/// <param name="ClassGap">
/// Sum over the layers of (squared Mahalanobis distance to the predicted class) − (to the nearest
/// class): 0 for an input nearest to the class it is predicted as; null without a predicted class or reference labels.
/// </param>
/// <param name="LayerClassGap">The class gap per layer; null when <paramref name="ClassGap"/> is null.</param>
/// <param name="LabelDisagreement">
/// Share of the k nearest reference vectors, averaged over the layers, whose predicted class differs
/// from this input's prediction; null without a predicted class or reference labels.
/// </param>
/// <param name="LayerLabelDisagreement">That share per layer; null when <paramref name="LabelDisagreement"/> is null.</param>
/// <param name="AdversarialPValue">Conformal p-value of the scorer's adversarial signal (class gap by default) against the calibration split; null without a class.</param>
/// <param name="AdversarialEvidence">
/// True when <paramref name="AdversarialPValue"/> is at most the scorer's adversarial level: the input's
/// representation belongs to another class than the one predicted, which adversarial inputs show and
/// ordinary members of a shifted population mostly do not. A flagged input without it is `shift`.
/// </param>
public sealed record InputScore(
    IReadOnlyList<double> LayerScores,
    IReadOnlyList<double> LayerPValues,
    double FusedPValue,
    int SmallestLayer,
    string SmallestLayerName,
    double? ClassGap,
    IReadOnlyList<double>? LayerClassGap,
    double? LabelDisagreement,
    IReadOnlyList<double>? LayerLabelDisagreement,
    double? AdversarialPValue,
    bool AdversarialEvidence);
