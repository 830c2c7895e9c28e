namespace Streaming.Windowing.Publishing;

/// <summary>What one pass over the outbox did.</summary>
/// <param name="Handled">Entries published, or dead-lettered and removed, within the round.</param>
/// <param name="Left">Entries read that are still in the outbox (failed, or still on their way).</param>
internal readonly record struct PublishRound(int Handled, int Left);
