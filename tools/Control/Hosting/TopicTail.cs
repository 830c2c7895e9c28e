using Confluent.Kafka;
using Streaming.Messaging;

namespace Streaming.Control.Hosting;

/// <summary>
/// Reads a topic from the beginning on a background thread, in a consumer group of its own, and
/// hands every message to a callback. Used by the demo's and load test's observers and by tests.
/// </summary>
public sealed class TopicTail : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly Action<Message<byte[], byte[]>> _onMessage;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TopicTail(KafkaOptions kafka, string topic, string clientId, Action<Message<byte[], byte[]>> onMessage)
    {
        _onMessage = onMessage;
        var config = KafkaClientConfigs.Consumer(kafka, clientId, clientId + "-" + Guid.NewGuid().ToString("N"));
        _consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        _consumer.Subscribe(topic);
        _loop = Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);
    }

    private void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            ConsumeResult<byte[], byte[]>? result;
            try
            {
                result = _consumer.Consume(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ConsumeException)
            {
                continue;
            }

            if (result?.Message is not null)
                _onMessage(result.Message);
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
