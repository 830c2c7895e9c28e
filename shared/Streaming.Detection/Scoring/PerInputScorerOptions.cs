namespace Streaming.Detection.Scoring;

public sealed record PerInputScorerOptions
{
    /// <summary>k of the k-nearest-neighbour distance and of the neighbours whose labels are compared with the prediction.</summary>
    public int Neighbours { get; init; } = 10;

    /// <summary>
    /// The per-layer score. Default: class-conditional Mahalanobis, chosen by measured AUC (`control
    /// evaluate-scores`, small-cnn on MNIST, reference from test images 0-4,999, attacks on 5,000-9,999):
    /// fused AUC against clean inputs 0.996 (FGSM 0.3), 0.995 (PGD 0.3), 0.859 (DeepFool), 0.901
    /// (FGSM 0.1) versus at best 0.994, 0.984, 0.731, 0.965 for the k-NN distance (k = 1; larger k is
    /// worse), with a lower AUC for benign shift (0.554 vs 0.565). A reference without labels (a model
    /// without classes) falls back to the k-NN distance.
    /// </summary>
    public NonconformityMeasure Measure { get; init; } = NonconformityMeasure.ClassMahalanobis;

    /// <summary>
    /// The signal behind <see cref="InputScore.AdversarialEvidence"/>. Default: the class gap, chosen by
    /// measured ROC AUC of attacked inputs against clean inputs of a shifted population (`control
    /// evaluate-scores`: reference from MNIST test images 0-4,999, clean and attacked images from
    /// 5,000-9,999): 0.952 (FGSM 0.3), 0.872 (PGD 0.3), 0.928 (DeepFool), 0.734 (FGSM 0.1), against
    /// 0.932, 0.784, 0.973, 0.666 for the k-NN label disagreement; both are at chance (0.49) for
    /// shifted vs unshifted clean inputs, which is what makes them specific to attacks.
    /// </summary>
    public AdversarialSignal AdversarialSignal { get; init; } = AdversarialSignal.ClassGap;

    /// <summary>
    /// An input carries adversarial evidence when the conformal p-value of its adversarial signal is at
    /// most this. Measured at 0.05 (class gap): 5.2 % of shifted clean inputs, 48 % of PGD 0.3, 80 % of
    /// FGSM 0.3, 72 % of DeepFool inputs; at 0.01: 0.7 %, 3.9 %, 38 %, 44 %. Per input the signal is
    /// weak for PGD; over the flagged inputs of a window (share with evidence against the level) it separates.
    /// </summary>
    public double AdversarialLevel { get; init; } = 0.05;

    /// <summary>How the per-layer p-values become the fused one (see <see cref="LayerFusion"/>).</summary>
    public LayerFusion Fusion { get; init; } = LayerFusion.Conformal;

    public void Validate()
    {
        if (Neighbours < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Neighbours), Neighbours, "At least one neighbour is needed.");
        }
        if (!Enum.IsDefined(Measure))
        {
            throw new ArgumentOutOfRangeException(nameof(Measure), Measure, "Unknown nonconformity measure.");
        }
        if (!Enum.IsDefined(AdversarialSignal))
        {
            throw new ArgumentOutOfRangeException(nameof(AdversarialSignal), AdversarialSignal, "Unknown adversarial signal.");
        }
        if (!Enum.IsDefined(Fusion))
        {
            throw new ArgumentOutOfRangeException(nameof(Fusion), Fusion, "Unknown layer fusion.");
        }
        if (!(AdversarialLevel > 0 && AdversarialLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(AdversarialLevel), AdversarialLevel, "The adversarial level must lie in (0, 1).");
        }
    }
}
