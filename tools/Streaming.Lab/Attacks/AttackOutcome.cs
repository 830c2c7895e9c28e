namespace Streaming.Lab.Attacks;

/// <summary>
/// How one attack did on a set of correctly classified images.
/// <see cref="SuccessRate"/>: untargeted, the share whose prediction left the label; targeted, the
/// share (of images not already of the target class) predicted as the target.
/// <see cref="FlipRate"/>: the share no longer predicted as the label, for every attack.
/// Norms are of adversarial - clean over all pixels, averaged over images.
/// </summary>
public sealed record AttackOutcome(
    string Attack,
    double? Epsilon,
    int Images,
    double SuccessRate,
    double FlipRate,
    double MeanLinf,
    double MeanL2,
    double MillisecondsPerImage);
