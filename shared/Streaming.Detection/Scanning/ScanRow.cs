namespace Streaming.Detection.Scanning;

/// <summary>
/// One event's row of a scan's level matrix (<see cref="SubsetScanner.EventLevels"/>): per node, the
/// threshold level of its empirical p-value against the event's background. Immutable, so one row
/// can serve every window that holds the event.
/// </summary>
public sealed class ScanRow
{
    internal ScanRow(byte[] levels) => Levels = levels;

    internal byte[] Levels { get; }

    /// <summary>Nodes over all layers.</summary>
    public int NodeCount => Levels.Length;
}
