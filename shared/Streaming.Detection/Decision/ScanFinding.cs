namespace Streaming.Detection.Decision;

/// <summary>The subset scan of a window, as the decision and the alert use it.</summary>
/// <param name="Statistic">"berk-jones" or "higher-criticism".</param>
/// <param name="Threshold">The threshold on the nodes' empirical p-values that maximised the score.</param>
/// <param name="EventIndices">Positions of the subset's events among the window's tested events.</param>
/// <param name="Nodes">The subset's nodes as "layer:index".</param>
public sealed record ScanFinding(
    string Statistic,
    double Score,
    double PValue,
    double Threshold,
    IReadOnlyList<int> EventIndices,
    IReadOnlyList<string> Nodes);
