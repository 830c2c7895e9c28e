using Streaming.Contracts;

namespace Streaming.Detection.WindowTest;

/// <summary>An event left out of its window's test, dead-lettered on its own.</summary>
public sealed record DroppedEvent(ActivationEvent Event, EventProblem Problem);
