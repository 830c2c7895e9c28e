using Streaming.Contracts;

namespace Streaming.Windows;

/// <summary>
/// A window waiting to be published. <see cref="Payload"/> is the exact stored bytes: publish them
/// as they are and acknowledge the entry only after the broker confirmed delivery.
/// </summary>
public sealed record OutboxEntry(string OutboxKey, byte[] Payload, WindowReady Window);
