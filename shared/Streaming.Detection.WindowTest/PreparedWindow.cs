using Streaming.Contracts;

namespace Streaming.Detection.WindowTest;

/// <summary>A window read from Redis, its events checked against the reference and turned into per-layer matrices.</summary>
/// <param name="Events">The events that fit the reference, in window order: sample i of every layer is event i.</param>
/// <param name="Layers">Per reference layer, one vector per event of <paramref name="Events"/>.</param>
/// <param name="Dropped">Events left out of the test, with why.</param>
/// <param name="MissingEvents">Events the window lists that were no longer in Redis.</param>
public sealed record PreparedWindow(
    WindowReady Window,
    IReadOnlyList<ActivationEvent> Events,
    IReadOnlyDictionary<string, float[][]> Layers,
    IReadOnlyList<DroppedEvent> Dropped,
    int MissingEvents = 0)
{
    /// <summary>The unbiased MMD² needs two samples.</summary>
    public const int MinimumEvents = 2;

    public bool Testable => Events.Count >= MinimumEvents;
}
