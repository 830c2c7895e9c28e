using Streaming.Contracts;

namespace Streaming.Detector;

/// <summary>A window read from Redis and turned into per-layer matrices, ready for the test.</summary>
public sealed record PreparedWindow(
    WindowReady Window,
    IReadOnlyList<ActivationEvent> Events,
    IReadOnlyDictionary<string, float[][]> Layers);
