namespace Streaming.Console.History;

/// <summary>One layer's test of an alerted window.</summary>
public sealed record AlertLayer(string Layer, double? Mmd2, double? PValue, bool Rejected);
