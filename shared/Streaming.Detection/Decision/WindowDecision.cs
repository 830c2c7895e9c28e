namespace Streaming.Detection.Decision;

/// <summary>
/// The alert decision of one window over the test families that ran on it. Each family's p-value is
/// valid on its own; <see cref="CombinedPValue"/> is their weighted Bonferroni combination
/// (<see cref="WindowDecider"/>), so the false-alarm
/// rate on clean windows stays at or below alpha whatever the dependence between families.
/// </summary>
/// <param name="MmdPValue">The per-layer MMD tests, combined over layers by the detector's correction.</param>
/// <param name="ScanPValue">The subset scan's score against clean simulated windows; null when no scan ran.</param>
/// <param name="InputPValue">The per-input family: the counts of inputs per layer at several levels (<see cref="LevelCountTest"/>); null when no per-input scores ran.</param>
/// <param name="CombinedPValue">min(1, min over the tests of p / normalised weight).</param>
/// <param name="Families">How many tests were combined (MMD, scan, per-input).</param>
/// <param name="Alert">CombinedPValue &lt; alpha.</param>
public sealed record WindowDecision(
    double MmdPValue,
    double? ScanPValue,
    double? InputPValue,
    double CombinedPValue,
    int Families,
    bool Alert);
