namespace Streaming.WindowStore;

/// <summary>An outbox entry that does not parse as a WindowReady; <see cref="Payload"/> is the exact stored bytes.</summary>
public sealed record CorruptOutboxEntry(string OutboxKey, byte[] Payload, string Reason);
