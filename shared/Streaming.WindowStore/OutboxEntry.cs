using Streaming.Contracts;

namespace Streaming.WindowStore;

/// <summary>
/// A window waiting to be published. <see cref="Payload"/> is the WindowReady bytes exactly as
/// the script encoded them: publish them as they are and acknowledge the entry only after the
/// broker confirmed delivery.
/// </summary>
public sealed record OutboxEntry(string OutboxKey, byte[] Payload, WindowReady Window)
{
    /// <summary>The entry's exact stored bytes (the payload, after the trace envelope if it has one), which the ack removes.</summary>
    public byte[] Stored { get; init; } = Payload;

    /// <summary>W3C traceparent of the event that completed the window; null when it has none (time windows, older entries).</summary>
    public string? TraceParent { get; init; }

    /// <summary>W3C tracestate that came with <see cref="TraceParent"/>, if any.</summary>
    public string? TraceState { get; init; }
}
