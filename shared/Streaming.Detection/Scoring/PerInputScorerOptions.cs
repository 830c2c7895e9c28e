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

    /// <summary>The signal behind <see cref="InputScore.AdversarialEvidence"/>.</summary>
    public AdversarialSignal AdversarialSignal { get; init; } = AdversarialSignal.ClassGap;

    /// <summary>An input carries adversarial evidence when the conformal p-value of its adversarial signal is at most this.</summary>
    public double AdversarialLevel { get; init; } = 0.01;

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
        if (!(AdversarialLevel > 0 && AdversarialLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(AdversarialLevel), AdversarialLevel, "The adversarial level must lie in (0, 1).");
        }
    }
}
