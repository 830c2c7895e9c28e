namespace Streaming.Console.History;

/// <summary>A window just recorded, as published on the live channel and sent to the browsers of its stream.</summary>
public sealed record LiveDetection(string Model, string Stream, DetectionPoint Point);
