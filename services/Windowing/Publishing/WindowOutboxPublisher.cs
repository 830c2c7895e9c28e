using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Streaming.Messaging;
using Streaming.Windows;

namespace Streaming.Windowing.Publishing;

/// <summary>
/// Moves ready windows from the Redis outbox to the windows topic, acknowledging each entry only
/// after Kafka confirmed it, and runs the time flush. A crash between the two re-publishes the
/// same window id, which the detector treats idempotently.
/// </summary>
/// <remarks>
/// The outbox never stalls on one entry. Each round sends a batch of entries at once (in outbox
/// order, so a stream's windows keep their order on its partition) and judges each delivery on
/// its own: an entry Kafka refuses for good (too large, invalid) or that is not a window at all is
/// dead-lettered and removed, and the rest goes on; an entry that failed for a reason that passes
/// (broker down) stays and the round is retried with backoff, logged once per outage. The time
/// flush runs in its own loop, so it keeps emitting into the outbox while Kafka is away.
/// </remarks>
public sealed partial class WindowOutboxPublisher(
    RedisWindowStore store,
    KafkaProducerHandle producer,
    WindowDeadLetters deadLetters,
    IOptions<WindowingOptions> options,
    TimeProvider timeProvider,
    ILogger<WindowOutboxPublisher> logger) : BackgroundService
{
    private const int BatchSize = 256;
    private const int LoggedIdChars = 200;
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _signal = new(0);
    private readonly OutageLog _publishOutage = new(timeProvider);
    private readonly OutageLog _flushOutage = new(timeProvider);

    /// <summary>Wakes the publisher: a window was just queued.</summary>
    public void Signal()
    {
        if (_signal.CurrentCount == 0)
            _signal.Release();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(RunFlushesAsync(stoppingToken), RunPublishingAsync(stoppingToken));

    private async Task RunFlushesAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.FlushInterval, timeProvider, cancellationToken);
                var emitted = await store.FlushDueAsync(cancellationToken);
                if (_flushOutage.Succeeded() is { } lasted)
                    LogFlushRecovered(lasted);
                if (emitted > 0)
                    Signal();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (_flushOutage.Failed())
                    LogFlushFailing(ex, options.Value.FlushInterval);
            }
        }
    }

    private async Task RunPublishingAsync(CancellationToken cancellationToken)
    {
        var retryDelay = FirstRetryDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var round = await PublishRoundAsync(cancellationToken);
                if (round.TransientFailure is { } failure)
                {
                    if (_publishOutage.Failed())
                        LogPublishingFailing(failure, round.Left);
                    LogRetrying(round.Left, retryDelay);
                    await Task.Delay(retryDelay, timeProvider, cancellationToken);
                    retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
                    continue;
                }

                retryDelay = FirstRetryDelay;
                if (_publishOutage.Succeeded() is { } lasted)
                    LogPublishingRecovered(lasted);
                // A full batch may have more behind it; otherwise wait for a new window.
                if (round.Handled < BatchSize)
                    await _signal.WaitAsync(options.Value.FlushInterval, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One batch from the outbox; never throws for what a single entry does.</summary>
    private async Task<PublishRound> PublishRoundAsync(CancellationToken cancellationToken)
    {
        OutboxBatch batch;
        try
        {
            batch = await store.ReadOutboxAsync(BatchSize, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Redis unreachable: nothing was taken, everything stays for the next round.
            return new PublishRound(0, 0, ex);
        }

        var handled = 0;
        Exception? transient = null;
        var acks = new List<Task>(batch.Count);

        foreach (var corrupt in batch.Corrupt)
        {
            var failure = await DeadLetterAsync(null, corrupt.Payload, corrupt.Reason, cancellationToken);
            if (failure is not null && !ProduceFailures.IsPermanent(failure))
            {
                transient ??= failure;
                continue;
            }

            LogCorruptEntryRemoved(WindowDeadLetters.Shorten(corrupt.Reason, LoggedIdChars), failure is null);
            acks.Add(store.AckOutboxAsync(corrupt, cancellationToken));
            handled++;
        }

        // Every send is queued before the first is awaited: one slow or refused entry costs its
        // own delivery report, not the others' time.
        var sends = batch.Windows.Select(entry => SendAsync(entry, cancellationToken)).ToList();
        for (var i = 0; i < sends.Count; i++)
        {
            var entry = batch.Windows[i];
            var failure = await sends[i];
            if (failure is null)
            {
                acks.Add(store.AckOutboxAsync(entry, cancellationToken));
                LogWindowPublished(entry.Window.WindowId, entry.Window.Trigger);
                handled++;
                continue;
            }

            if (!ProduceFailures.IsPermanent(failure))
            {
                transient ??= failure;
                continue;
            }

            var windowId = WindowDeadLetters.Shorten(entry.Window.WindowId, LoggedIdChars);
            var reason = $"Kafka refused window {windowId} ({entry.Payload.Length} bytes) for good: {Describe(failure)}";
            var deadLetterFailure = await DeadLetterAsync(entry.Window.Header.StreamId, entry.Payload, reason, cancellationToken);
            if (deadLetterFailure is not null && !ProduceFailures.IsPermanent(deadLetterFailure))
            {
                transient ??= deadLetterFailure;
                continue;
            }

            LogWindowDeadLettered(windowId, Describe(failure), deadLetterFailure is null);
            acks.Add(store.AckOutboxAsync(entry, cancellationToken));
            handled++;
        }

        try
        {
            await Task.WhenAll(acks);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Published but not removed: the next round publishes it again under the same window
            // id (at-least-once), which consumers de-duplicate.
            transient ??= ex;
        }

        return new PublishRound(handled, batch.Count - handled, transient);
    }

    private async Task<Exception?> SendAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var message = new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(entry.Window.Header.StreamId),
                Value = entry.Payload,
            };
            await producer.ProduceAsync(options.Value.OutputTopic, message, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ex;
        }
    }

    private async Task<Exception?> DeadLetterAsync(string? streamId, byte[] payload, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await deadLetters.PublishAsync(options.Value.OutputTopic, streamId, payload, reason, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ex;
        }
    }

    private static string Describe(Exception failure) => failure is KafkaException kafka
        ? $"{kafka.Error.Code}: {kafka.Error.Reason}"
        : $"{failure.GetType().Name}: {failure.Message}";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Window {WindowId} published ({Trigger})")]
    private partial void LogWindowPublished(string windowId, string trigger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Window {WindowId} can never be published ({Failure}); removed from the outbox (dead-lettered: {DeadLettered})")]
    private partial void LogWindowDeadLettered(string windowId, string failure, bool deadLettered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}; removed from the outbox (dead-lettered: {DeadLettered})")]
    private partial void LogCorruptEntryRemoved(string reason, bool deadLettered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing windows is failing ({Left} waiting); retrying with backoff, logged again when it recovers")]
    private partial void LogPublishingFailing(Exception ex, int left);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Left} outbox entries wait; next try in {Delay}")]
    private partial void LogRetrying(int left, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing windows recovered after {Duration}")]
    private partial void LogPublishingRecovered(TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The time flush is failing; retrying every {Interval}, logged again when it recovers")]
    private partial void LogFlushFailing(Exception ex, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "The time flush recovered after {Duration}")]
    private partial void LogFlushRecovered(TimeSpan duration);
}
