namespace Streaming.Detection.Scanning;

/// <summary>
/// The most anomalous subset found in one window: events × nodes and the threshold α* at which the
/// statistic peaked. <see cref="Score"/> alone says nothing about significance; <see cref="ScanNull.PValue"/> does.
/// When the score is 0 (Berk–Jones: no subset has more p-values ≤ α than expected) the subset is
/// whatever reached 0 first and means nothing.
/// </summary>
/// <param name="Score">Maximum of the scan statistic over subsets and thresholds.</param>
/// <param name="Alpha">α* that maximised it.</param>
/// <param name="Events">Indices of the window's events in the subset, ascending.</param>
/// <param name="Nodes">(layer, node) of the nodes in the subset, ascending by layer then node.</param>
public sealed record ScanResult(double Score, double Alpha, IReadOnlyList<int> Events, IReadOnlyList<ScanNode> Nodes);
