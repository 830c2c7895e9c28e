namespace Streaming.Control.Evaluation;

/// <summary>Options of `control evaluate-scores` (see <see cref="ScoreEvaluator"/>).</summary>
public sealed record ScoreEvaluationOptions
{
    /// <summary>Test images the reference, its calibration split and the in-distribution clean pool are drawn from.</summary>
    public (int Start, int End) ReferenceImages { get; init; } = (0, 5000);

    /// <summary>Test images of the shifted clean population; the attacks perturb images drawn from it.</summary>
    public (int Start, int End) ShiftedImages { get; init; } = (5000, 10_000);

    public int ReferenceCount { get; init; } = 1000;

    public int CalibrationCount { get; init; } = 1000;

    /// <summary>Images per clean pool and per attacked pool.</summary>
    public int PoolSize { get; init; } = 1000;

    public IReadOnlyList<int> Neighbours { get; init; } = [1, 5, 10, 20, 50];

    public IReadOnlyList<(string Attack, double Strength)> Attacks { get; init; } = [("fgsm", 0.1), ("fgsm", 0.3), ("pgd", 0.3), ("deepfool", 1)];

    public ulong Seed { get; init; } = 1;
}
