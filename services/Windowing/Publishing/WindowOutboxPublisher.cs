using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Streaming.Messaging;
using Streaming.WindowStore;

namespace Streaming.Windowing.Publishing;

/// <summary>
/// Moves ready windows from the Redis outbox to the windows topic, acknowledging each entry only
/// after Kafka confirmed it, and runs the time flush. A crash between the two re-publishes the
/// same window id, which the detector treats idempotently.
/// </summary>
/// <remarks>
/// The outbox never stalls on one entry. Each round sends a batch of entries at once (in outbox
/// order, so a stream's windows keep their order on its partition while nothing fails) and
/// judges each delivery on its own: an entry Kafka refuses for good (too large, invalid) or that
/// is not a window at all is dead-lettered and removed, and the rest goes on; an entry that failed
/// for a reason that passes (broker down) stays and is sent again after a backoff, logged once per
/// outage (it may then land after later windows of its stream; consumers do not depend on the
/// order). A delivery that takes long (a partition without leader) goes on in the background while
/// later rounds publish other entries. The time flush runs in its own loop, so it keeps emitting
/// into the outbox while Kafka is away.
/// </remarks>
public sealed partial class WindowOutboxPublisher(
    RedisWindowWriter store,
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

    /// <summary>How long a round waits for its deliveries before it lets the slow ones finish in the background.</summary>
    private static readonly TimeSpan RoundWait = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _signal = new(0);
    private readonly ConcurrentDictionary<string, Task<bool>> _inFlight = new(StringComparer.Ordinal);
    private readonly OutageLog _publishOutage = new(timeProvider);
    private readonly OutageLog _flushOutage = new(timeProvider);

    /// <summary>When publishing began to fail (Kafka or Redis away); null while it works.</summary>
    public DateTimeOffset? PublishingFailingSince => _publishOutage.Since;

    /// <summary>When the time flush began to fail (Redis away); null while it works.</summary>
    public DateTimeOffset? FlushFailingSince => _flushOutage.Since;

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
                if (_publishOutage.Since is not null)
                {
                    LogRetrying(round.Left, retryDelay);
                    await Task.Delay(retryDelay, timeProvider, cancellationToken);
                    retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
                    continue;
                }

                retryDelay = FirstRetryDelay;
                // A full batch may have more behind it; otherwise wait for a new window.
                if (round.Handled < BatchSize)
                    await _signal.WaitAsync(options.Value.FlushInterval, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Not one entry's doing (those are handled per entry): keep the loop, and the
                // process, alive and treat it as an outage.
                NoteFailure(ex);
                await Task.Delay(retryDelay, timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>
    /// Reads a batch and starts every entry that is not already on its way. Waits for them at most
    /// <see cref="RoundWait"/>: an entry whose partition is slow (no leader, broker gone) finishes
    /// in the background, where it is acknowledged or dead-lettered, and later rounds skip it
    /// meanwhile, so new windows of other streams are not held behind it.
    /// </summary>
    private async Task<PublishRound> PublishRoundAsync(CancellationToken cancellationToken)
    {
        // Taken before the read: an entry that completes (and is acked) after this snapshot is
        // still skipped, one acked before it is no longer in the outbox. No entry is sent twice.
        var inFlight = _inFlight.Keys.ToHashSet(StringComparer.Ordinal);
        OutboxBatch batch;
        try
        {
            batch = await store.ReadOutboxAsync(BatchSize, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Redis unreachable: nothing was taken, everything stays for the next round.
            NoteFailure(ex);
            return new PublishRound(0, 0);
        }

        var started = new List<Task<bool>>();
        foreach (var corrupt in batch.Corrupt)
            Start("corrupt:" + Convert.ToHexString(SHA256.HashData(corrupt.Payload)), () => DeadLetterCorruptAsync(corrupt, cancellationToken));
        foreach (var entry in batch.Windows)
            Start(entry.Window.Header.EventId, () => PublishEntryAsync(entry, cancellationToken));

        if (started.Count > 0)
            await Task.WhenAny(Task.WhenAll(started), Task.Delay(RoundWait, timeProvider, cancellationToken));
        var handled = started.Count(t => t.IsCompletedSuccessfully && t.Result);
        if (_inFlight.IsEmpty && handled == batch.Count)
            NoteSuccess();
        return new PublishRound(handled, batch.Count - handled);

        void Start(string id, Func<Task<bool>> deliver)
        {
            if (inFlight.Contains(id) || _inFlight.ContainsKey(id)) return;
            var delivery = deliver();
            _inFlight[id] = delivery;
            started.Add(delivery);
            _ = delivery.ContinueWith(_ => _inFlight.TryRemove(id, out Task<bool>? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Publishes one window and acks it, or dead-letters it when Kafka refuses it for good. True when it left the outbox.</summary>
    private async Task<bool> PublishEntryAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var failure = await SendAsync(entry, cancellationToken);
        if (failure is null)
        {
            LogWindowPublished(entry.Window.WindowId, entry.Window.Trigger);
            if (!await AckAsync(store.AckOutboxAsync(entry, cancellationToken))) return false;
            NoteSuccess();
            return true;
        }

        if (!ProduceFailures.IsPermanent(failure))
        {
            NoteFailure(failure);
            return false;
        }

        var windowId = WindowDeadLetters.Shorten(entry.Window.WindowId, LoggedIdChars);
        var reason = $"Kafka refused window {windowId} ({entry.Payload.Length} bytes) for good: {Describe(failure)}";
        var deadLetterFailure = await DeadLetterAsync(entry.Window.Header.StreamId, entry.Payload, reason, cancellationToken);
        if (deadLetterFailure is not null && !ProduceFailures.IsPermanent(deadLetterFailure))
        {
            NoteFailure(deadLetterFailure);
            return false;
        }

        LogWindowDeadLettered(windowId, Describe(failure), deadLetterFailure is null);
        return await AckAsync(store.AckOutboxAsync(entry, cancellationToken));
    }

    private async Task<bool> DeadLetterCorruptAsync(CorruptOutboxEntry corrupt, CancellationToken cancellationToken)
    {
        var failure = await DeadLetterAsync(null, corrupt.Payload, corrupt.Reason, cancellationToken);
        if (failure is not null && !ProduceFailures.IsPermanent(failure))
        {
            NoteFailure(failure);
            return false;
        }

        LogCorruptEntryRemoved(WindowDeadLetters.Shorten(corrupt.Reason, LoggedIdChars), failure is null);
        return await AckAsync(store.AckOutboxAsync(corrupt, cancellationToken));
    }

    /// <summary>
    /// An ack that fails (Redis away) leaves a published entry in the outbox: it is published
    /// again under the same window id (at-least-once), which consumers de-duplicate.
    /// </summary>
    private async Task<bool> AckAsync(Task ack)
    {
        try
        {
            await ack;
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            NoteFailure(ex);
            return false;
        }
    }

    private void NoteFailure(Exception ex)
    {
        if (_publishOutage.Failed())
            LogPublishingFailing(ex);
    }

    private void NoteSuccess()
    {
        if (_publishOutage.Succeeded() is { } lasted)
            LogPublishingRecovered(lasted);
    }

    private async Task<Exception?> SendAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            // In the trace of the event that completed the window, where the entry kept one.
            using var activity = TraceContext.StartProduce(options.Value.OutputTopic, entry.TraceParent, entry.TraceState);
            var message = new Message<byte[], byte[]>
            {
                Key = WindowPartitionKey.Of(entry.Window),
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing windows is failing; retrying with backoff, logged again when it recovers")]
    private partial void LogPublishingFailing(Exception ex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Left} outbox entries wait; next try in {Delay}")]
    private partial void LogRetrying(int left, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing windows recovered after {Duration}")]
    private partial void LogPublishingRecovered(TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The time flush is failing; retrying every {Interval}, logged again when it recovers")]
    private partial void LogFlushFailing(Exception ex, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "The time flush recovered after {Duration}")]
    private partial void LogFlushRecovered(TimeSpan duration);
}
