using Confluent.Kafka;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>Reads a whole topic from the beginning in the background, in its own consumer group.</summary>
internal sealed class TopicReader : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Message<byte[], byte[]>> _messages = [];
    private readonly Task _loop;

    public TopicReader(KafkaOptions options, string topic)
    {
        var config = KafkaClientConfigs.Consumer(options, "test-reader", "test-reader-" + Guid.NewGuid().ToString("N"));
        _consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        _consumer.Subscribe(topic);
        _loop = Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);
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

    private void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var result = _consumer.Consume(_stop.Token);
                if (result?.Message is not null)
                    lock (_messages) _messages.Add(result.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ConsumeException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _consumer.Close();
        _consumer.Dispose();
        _stop.Dispose();
    }
}
