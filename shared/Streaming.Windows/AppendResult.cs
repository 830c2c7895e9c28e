namespace Streaming.Windows;

/// <summary>Outcome of appending one event.</summary>
/// <param name="Duplicate">The event id was already applied; nothing changed.</param>
/// <param name="WindowsCreated">Windows this append completed (0 or 1); they are in the outbox.</param>
public readonly record struct AppendResult(bool Duplicate, int WindowsCreated);
