namespace Streaming.Detection.Scoring;

/// <summary>Which per-input signal decides <see cref="InputScore.AdversarialEvidence"/> (both need a predicted class and reference labels).</summary>
public enum AdversarialSignal
{
    /// <summary>
    /// Class gap: in each layer, the squared Mahalanobis distance to the predicted class's mean minus
    /// that to the nearest class's mean, summed over the layers. 0 when the input sits nearest to the
    /// class it is predicted as (an ordinary member, even of a shifted population); large when its
    /// representation belongs to another class than the prediction, as an adversarial input's does.
    /// </summary>
    ClassGap,

    /// <summary>Share of the k nearest reference vectors, averaged over the layers, whose class differs from the prediction.</summary>
    LabelDisagreement,
}
