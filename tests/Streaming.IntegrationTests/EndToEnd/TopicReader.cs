using Confluent.Kafka;
using Streaming.Control.Hosting;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>Reads a whole topic from the beginning in the background, in its own consumer group.</summary>
internal sealed class TopicReader : IDisposable
{
    private readonly List<Message<byte[], byte[]>> _messages = [];
    private readonly TopicTail _tail;

    public TopicReader(KafkaOptions options, string topic)
    {
        _tail = new TopicTail(options, topic, "test-reader", message =>
        {
            lock (_messages) _messages.Add(message);
        });
    }

    public IReadOnlyList<Message<byte[], byte[]>> Messages
    {
        get
        {
            lock (_messages) return _messages.ToList();
        }
    }

    public async Task WaitForAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Messages.Count < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Expected {count} messages, got {Messages.Count} within {timeout.TotalSeconds:0} s.");
            await Task.Delay(50, cancellationToken);
        }
    }

    public void Dispose() => _tail.Dispose();
}
