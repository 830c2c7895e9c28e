using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Streaming.Messaging;
using Streaming.Windows;

namespace Streaming.Windowing;

/// <summary>
/// Moves ready windows from the Redis outbox to the windows topic, acknowledging each entry
/// only after Kafka confirmed it, and runs the time flush. A crash between the two re-publishes
/// the same window id, which the detector treats idempotently.
/// </summary>
public sealed partial class WindowOutboxPublisher(
    RedisWindowStore store,
    KafkaProducerHandle producer,
    IOptions<WindowingOptions> options,
    TimeProvider timeProvider,
    ILogger<WindowOutboxPublisher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _signal = new(0);

    public void Signal()
    {
        if (_signal.CurrentCount == 0)
            _signal.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextFlush = timeProvider.GetUtcNow() + options.Value.FlushInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (timeProvider.GetUtcNow() >= nextFlush)
                {
                    await store.FlushDueAsync(stoppingToken);
                    nextFlush = timeProvider.GetUtcNow() + options.Value.FlushInterval;
                }

                await PublishPendingAsync(stoppingToken);
                await _signal.WaitAsync(options.Value.FlushInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPublishFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, stoppingToken);
            }
        }
    }

    private async Task PublishPendingAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var entries = await store.PeekOutboxAsync(64, cancellationToken);
            if (entries.Count == 0) return;
            foreach (var entry in entries)
            {
                var message = new Message<byte[], byte[]>
                {
                    Key = System.Text.Encoding.UTF8.GetBytes(entry.Window.Header.StreamId),
                    Value = entry.Payload,
                };
                await producer.ProduceAsync(options.Value.OutputTopic, message, cancellationToken);
                await store.AckOutboxAsync(entry, cancellationToken);
                LogWindowPublished(entry.Window.WindowId, entry.Window.Trigger);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Window {WindowId} published ({Trigger})")]
    private partial void LogWindowPublished(string windowId, string trigger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Publishing windows failed; retrying")]
    private partial void LogPublishFailed(Exception ex);
}
