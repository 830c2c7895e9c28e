namespace Streaming.WindowStore;

/// <summary>Outcome of appending one event.</summary>
/// <param name="Duplicate">The event id was already applied (to its stream window and the model-wide one); nothing changed.</param>
/// <param name="WindowsCreated">Windows this append completed (0, 1, or 2 with the model-wide window); they are in the outbox.</param>
public readonly record struct AppendResult(bool Duplicate, int WindowsCreated);
