namespace Streaming.WindowStore;

/// <summary>What one read of the outboxes found.</summary>
/// <param name="WindowStore">Queued windows, per stream in creation order.</param>
/// <param name="Corrupt">Entries that are not a WindowReady: dead-letter and remove them, or they stay forever.</param>
public sealed record OutboxBatch(IReadOnlyList<OutboxEntry> Windows, IReadOnlyList<CorruptOutboxEntry> Corrupt)
{
    public int Count => Windows.Count + Corrupt.Count;
}
