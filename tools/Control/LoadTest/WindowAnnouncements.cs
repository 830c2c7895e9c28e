using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Control.Hosting;
using Streaming.Messaging;

namespace Streaming.Control.LoadTest;

/// <summary>
/// Reads the windows topic (its own consumer group) and keeps, per window id, when Windowing closed the window
/// (its announcement's header time: the outbox record's creation) and when the announcement reached Kafka (the
/// message's timestamp). Holds one entry per window of the run: a load test's windows, thousands at most.
/// </summary>
public sealed class WindowAnnouncements : IDisposable
{
    private readonly TopicTail _tail;
    private readonly Dictionary<string, (DateTimeOffset Closed, DateTimeOffset Announced)> _byWindow = new(StringComparer.Ordinal);

    public WindowAnnouncements(KafkaOptions kafka)
    {
        _tail = new TopicTail(kafka, Topics.Windows, "loadtest-windows", Record);
    }

    /// <summary>When the window closed and when its announcement reached Kafka; null when it was not seen.</summary>
    public (DateTimeOffset Closed, DateTimeOffset Announced)? Find(string windowId)
    {
        lock (_byWindow)
            return _byWindow.TryGetValue(windowId, out var times) ? times : null;
    }

    private void Record(Message<byte[], byte[]> message)
    {
        var ready = WindowReady.Parser.ParseFrom(message.Value);
        var announced = DateTimeOffset.FromUnixTimeMilliseconds(message.Timestamp.UnixTimestampMs);
        var closed = ready.Header?.Timestamp?.ToDateTimeOffset() ?? announced;
        lock (_byWindow)
            _byWindow.TryAdd(ready.WindowId, (closed, announced));
    }

    public void Dispose() => _tail.Dispose();
}
