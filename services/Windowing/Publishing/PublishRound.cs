namespace Streaming.Windowing.Publishing;

/// <summary>What one pass over the outbox did.</summary>
/// <param name="Handled">Entries published, or dead-lettered and removed.</param>
/// <param name="Left">Entries that stay for a retry.</param>
/// <param name="TransientFailure">The first failure that a retry may fix (Kafka or Redis unreachable), if any.</param>
internal readonly record struct PublishRound(int Handled, int Left, Exception? TransientFailure);
