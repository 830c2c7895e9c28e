namespace Streaming.Console.History;

/// <summary>
/// One tested window as the charts need it. P-values that are not finite are left out (null), never
/// written as NaN into JSON.
/// </summary>
/// <param name="Time">When the window's last event arrived (Unix ms), or the detection's time when the window has none.</param>
/// <param name="Alert">Whether the window was rejected (its combined p-value below α).</param>
/// <param name="AttackShare">Share of the window's events labelled as attacked by their sender (0 when unlabelled).</param>
/// <param name="Layers">Per-layer p-values.</param>
public sealed record DetectionPoint(
    long Time,
    string WindowId,
    double? PValue,
    bool Alert,
    double Alpha,
    string Status,
    double AttackShare,
    IReadOnlyDictionary<string, double> Layers);
