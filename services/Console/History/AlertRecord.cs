namespace Streaming.Console.History;

/// <summary>An alert as the console keeps and shows it (finite numbers only).</summary>
public sealed record AlertRecord(
    string AlertId,
    string Model,
    string ModelVersion,
    string Stream,
    string WindowId,
    long Time,
    long? LastEventTime,
    double? CombinedPValue,
    double Alpha,
    string Severity,
    string Kind,
    IReadOnlyList<string> RejectedLayers,
    IReadOnlyList<AlertLayer> Layers,
    IReadOnlyList<AlertEvent> Events);
