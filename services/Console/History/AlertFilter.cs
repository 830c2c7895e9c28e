namespace Streaming.Console.History;

/// <summary>Which alerts to list: a model (and one of its streams), and a time range (inclusive, Unix ms).</summary>
public sealed record AlertFilter(string? Model, string? Stream, long? From, long? To);
