using System.Diagnostics;
using Confluent.Kafka;

namespace Streaming.Messaging;

/// <summary>
/// Settling a message: handled, dead-lettered, or dropped because its partition moved to another
/// member. Every failure goes through <see cref="Classify"/>; nothing here lets an exception of a
/// handler or of the dead-letter publisher out of the loop.
/// </summary>
public abstract partial class KafkaConsumerService
{
    private async Task ProcessBatchAsync(List<HeldMessage> batch, CancellationToken stoppingToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await KeepPollingWhileAsync(InvokeBatch(batch.Select(h => h.Result).ToList(), stoppingToken), stoppingToken).ConfigureAwait(false);
            _metrics.RecordHandlerDuration(Topic, Stopwatch.GetElapsedTime(started));
            EndOutage();
            foreach (var held in batch)
                Store(held);
            return;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // A transient failure is reported once, as an outage, by the first message that meets it alone.
            if (Classify(ex) != FailureKind.Transient)
                LogBatchFailed(ex, Topic, batch.Count);
        }

        foreach (var held in batch)
        {
            KeepAliveIfDue();
            await ProcessAsync(held, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(HeldMessage held, CancellationToken stoppingToken)
    {
        var result = held.Result;
        using var activity = TraceContext.StartConsume(Topic, result.Message.Headers);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            if (!IsStillOurs(held))
            {
                LogDropped(Topic, result.Partition.Value, result.Offset.Value);
                return;
            }

            Exception failure;
            try
            {
                await KeepPollingWhileAsync(InvokeHandler(result, stoppingToken), stoppingToken).ConfigureAwait(false);
                _metrics.RecordHandlerDuration(Topic, Stopwatch.GetElapsedTime(started));
                EndOutage();
                Store(held);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failure = ex;
            }

            var kind = Classify(failure);
            _metrics.RecordHandlerFailure(Topic, KindLabel(kind));
            string? deadLetterReason;
            switch (kind)
            {
                case FailureKind.Permanent:
                    deadLetterReason = failure is MalformedMessageException ? failure.Message : Describe(failure);
                    LogPermanentFailure(Topic, result.Partition.Value, result.Offset.Value, deadLetterReason);
                    break;
                case FailureKind.Transient:
                    RecordTransientFailure(failure, result);
                    deadLetterReason = MaxOutage != Timeout.InfiniteTimeSpan && _outage.Elapsed >= MaxOutage
                        ? $"Transient failures for longer than {MaxOutage} ({attempt} attempts): {Describe(failure)}"
                        : null;
                    if (deadLetterReason is not null)
                        LogOutageTooLong(Topic, result.Partition.Value, result.Offset.Value, MaxOutage.TotalSeconds);
                    break;
                default:
                    deadLetterReason = attempt >= MaxAttempts ? $"Failed {attempt} times: {Describe(failure)}" : null;
                    if (deadLetterReason is not null)
                        LogGaveUp(failure, Topic, result.Partition.Value, result.Offset.Value, attempt);
                    break;
            }

            if (deadLetterReason is not null)
            {
                await DeadLetterAsync(held, deadLetterReason, (uint)attempt, stoppingToken).ConfigureAwait(false);
                return;
            }

            var delay = Backoff(attempt);
            if (kind == FailureKind.Unknown)
                LogRetrying(failure, Topic, result.Partition.Value, result.Offset.Value, attempt, delay.TotalMilliseconds);
            await PauseForAsync(delay, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the dead letter; a transient failure of that is retried like any other (paused, for
    /// as long as it lasts), any other failure is logged at Error, counted and the message skipped:
    /// the loop goes on.
    /// </summary>
    private async Task DeadLetterAsync(HeldMessage held, string reason, uint attempts, CancellationToken stoppingToken)
    {
        var result = held.Result;
        for (var tries = 1; ; tries++)
        {
            if (!IsStillOurs(held))
            {
                LogDropped(Topic, result.Partition.Value, result.Offset.Value);
                return;
            }

            Exception failure;
            try
            {
                await KeepPollingWhileAsync(InvokeDeadLetter(result, reason, attempts, stoppingToken), stoppingToken).ConfigureAwait(false);
                Store(held);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failure = ex;
            }

            var kind = Classify(failure);
            if (kind == FailureKind.Transient || (kind == FailureKind.Unknown && tries < MaxAttempts))
            {
                if (kind == FailureKind.Transient)
                    RecordTransientFailure(failure, result);
                else
                    LogDeadLetterRetrying(failure, Topic, result.Partition.Value, result.Offset.Value, tries);
                await PauseForAsync(Backoff(tries), stoppingToken).ConfigureAwait(false);
                continue;
            }

            LogDeadLetterFailed(failure, Topic, result.Partition.Value, result.Offset.Value, reason);
            _metrics.RecordDeadLetterFailed(Topic);
            Store(held);
            return;
        }
    }

    private Task InvokeHandler(ConsumeResult<byte[], byte[]> result, CancellationToken cancellationToken)
    {
        try
        {
            return HandleAsync(result, cancellationToken);
        }
        catch (Exception ex)
        {
            // A handler that throws before its first await fails the same way as one that throws after.
            return Task.FromException(ex);
        }
    }

    private Task InvokeBatch(IReadOnlyList<ConsumeResult<byte[], byte[]>> batch, CancellationToken cancellationToken)
    {
        try
        {
            return HandleBatchAsync(batch, cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    private Task InvokeDeadLetter(ConsumeResult<byte[], byte[]> result, string reason, uint attempts, CancellationToken cancellationToken)
    {
        try
        {
            return _deadLetters.PublishAsync(result, ServiceName, reason, attempts, cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    /// <summary>Logs the start of an outage (once, with the exception); later failures of the same outage at Debug.</summary>
    private void RecordTransientFailure(Exception failure, ConsumeResult<byte[], byte[]> result)
    {
        if (_outage.RecordFailure())
            LogOutageStarted(failure, Topic, result.Partition.Value, result.Offset.Value);
        else
            LogOutageContinues(Topic, _outage.Failures, failure.GetType().Name, failure.Message);
    }

    private void EndOutage()
    {
        if (_outage.TryEnd(out var duration, out var failures))
            LogOutageEnded(Topic, duration.TotalSeconds, failures);
    }

    private TimeSpan Backoff(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var delay = TimeSpan.FromMilliseconds(RetryBaseDelay.TotalMilliseconds * factor);
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }

    private static string Describe(Exception exception) => $"{exception.GetType().Name}: {exception.Message}";

    private static string KindLabel(FailureKind kind) => kind switch
    {
        FailureKind.Permanent => "permanent",
        FailureKind.Transient => "transient",
        _ => "unknown",
    };
}
