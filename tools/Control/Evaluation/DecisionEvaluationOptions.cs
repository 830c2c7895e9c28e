namespace Streaming.Control.Evaluation;

/// <summary>
/// Options of the window-decision sweep of <c>control evaluate</c> (<see cref="DecisionEvaluator"/>):
/// the Detector's decision over both families on windows mixed from clean and attacked inputs.
/// </summary>
public sealed record DecisionEvaluationOptions
{
    /// <summary>Attacks of the share sweep; empty skips the sweep.</summary>
    public IReadOnlyList<(string Attack, double Strength)> Attacks { get; init; } = [("pgd", 0.3), ("fgsm", 0.1), ("deepfool", 1)];

    /// <summary>Shares of attacked events in a window.</summary>
    public IReadOnlyList<double> Shares { get; init; } = [1.0, 0.5, 0.2, 0.1, 0.05];

    /// <summary>Windows per configuration.</summary>
    public int Tests { get; init; } = 100;

    public int WindowSize { get; init; } = 100;

    /// <summary>The Detector's defaults: <c>Detector:Permutations</c>, <c>Detector:Alpha</c>, <c>Detector:Scan:NullWindows</c>.</summary>
    public int Permutations { get; init; } = 500;

    public double Alpha { get; init; } = 0.05;

    public int ScanNullWindows { get; init; } = 500;

    public int ReferenceCount { get; init; } = 1000;

    public int CalibrationCount { get; init; } = 2000;

    /// <summary>Attacked images per attack (perturbed from the traffic population).</summary>
    public int AttackPool { get; init; } = 500;

    /// <summary>
    /// Test images of the shifted setting's reference; its traffic is the rest of the test set. MNIST's
    /// first 5,000 test images are one writer population, the rest another.
    /// </summary>
    public (int Start, int End) ShiftReferenceImages { get; init; } = (0, 5000);

    public ulong Seed { get; init; } = 1;

    /// <summary>Folder for the sweep's raw p-values (<see cref="DecisionDump"/>); null writes none.</summary>
    public string? DumpFolder { get; init; }
}
