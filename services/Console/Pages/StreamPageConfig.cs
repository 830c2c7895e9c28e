using Streaming.Console.History;

namespace Streaming.Console.Pages;

/// <summary>What console.js needs to draw a stream's charts: embedded in the page as JSON.</summary>
public sealed record StreamPageConfig(string Model, string Stream, double Alpha, double? Baseline, int Rolling, string Live, IReadOnlyList<DetectionPoint> Windows);
