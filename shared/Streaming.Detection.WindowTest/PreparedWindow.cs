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

    /// <summary>Id of the reference the window is tested against; empty when there is none (<see cref="Status"/> says why).</summary>
    public string ReferenceId { get; init; } = "";

    /// <summary>The reference is the newest active one of another version of the model (the registry's version fallback).</summary>
    public bool ReferenceFallback { get; init; }

    /// <summary>Set when the window cannot be tested for want of a reference: <see cref="DetectionStatus.Uncalibrated"/> or <see cref="DetectionStatus.ReferenceUnavailable"/>.</summary>
    public string? UntestedStatus { get; init; }

    public bool Testable => UntestedStatus is null && Events.Count >= MinimumEvents;

    /// <summary>"tested", "insufficient_events", or the <see cref="UntestedStatus"/>.</summary>
    public string Status => UntestedStatus ?? (Testable ? DetectionStatus.Tested : DetectionStatus.InsufficientEvents);

    /// <summary>A window not tested because no reference serves its model version; its events are counted, none dropped.</summary>
    public static PreparedWindow WithoutReference(WindowReady window, IReadOnlyList<ActivationEvent> events, int missingEvents, string status) =>
        new(window, events, new Dictionary<string, float[][]>(), [], missingEvents) { UntestedStatus = status };
}
