namespace Streaming.Console.History;

/// <summary>One suspicious event of an alert, ranked by <see cref="Score"/> (its p-value, lowest first; null when the alert named it without one).</summary>
public sealed record AlertEvent(int Rank, string EventId, string Stream, double? Score, string Layer, bool Flagged);
