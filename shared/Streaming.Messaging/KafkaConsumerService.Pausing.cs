using Confluent.Kafka;

namespace Streaming.Messaging;

/// <summary>
/// Keeping the member in its group while a message waits: the assigned partitions are paused and
/// the loop keeps calling Consume with a short timeout (heartbeats and max.poll.interval.ms stay
/// satisfied) until the handler, the backoff or the dead-letter publish is done.
/// </summary>
public abstract partial class KafkaConsumerService
{
    private const int StateNotStarted = 0;
    private const int StateRunning = 1;
    private const int StateStopped = 2;

    /// <summary>A handler still running after this long gets the partitions paused and the loop polling beside it.</summary>
    private static readonly TimeSpan KeepAliveAfter = TimeSpan.FromMilliseconds(500);

    /// <summary>Consume timeout while paused: short, so that a finished handler or backoff is noticed soon.</summary>
    private static readonly TimeSpan PausedPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Per partition, bumped on every revoke or loss: a <see cref="HeldMessage"/> of an older epoch is no longer ours.</summary>
    private readonly Dictionary<TopicPartition, int> _epochs = [];

    /// <summary>Messages Consume returned while paused (fetched before the pause took effect, or from a partition assigned during it).</summary>
    private readonly Queue<HeldMessage> _fetchedWhilePaused = new();

    private IConsumer<byte[], byte[]>? _consumer;
    private volatile bool _paused;
    private int _state = StateNotStarted;
    private long _lastPollTicks;
    private long _busySinceTicks;

    /// <summary>Whether this consumer makes progress; read by the health check and the stalled gauge (any thread).</summary>
    public ConsumerProgress GetProgress()
    {
        var now = _timeProvider.GetUtcNow().UtcTicks;
        var threshold = TimeSpan.FromMilliseconds(_kafka.ConsumerStalledAfterMs);
        switch (Volatile.Read(ref _state))
        {
            case StateNotStarted:
                return new ConsumerProgress(Topic, GroupId, false, "starting");
            case StateStopped:
                return new ConsumerProgress(Topic, GroupId, true, "consume loop ended");
        }

        var busySince = Interlocked.Read(ref _busySinceTicks);
        if (busySince != 0 && TimeSpan.FromTicks(now - busySince) is var busy && busy > threshold)
        {
            var doing = _paused ? "partitions paused, retrying through an outage" : "in its handler";
            return new ConsumerProgress(Topic, GroupId, true, $"no progress for {busy.TotalSeconds:0} s ({doing})");
        }

        var sincePoll = TimeSpan.FromTicks(now - Interlocked.Read(ref _lastPollTicks));
        if (sincePoll > threshold)
            return new ConsumerProgress(Topic, GroupId, true, $"not polled for {sincePoll.TotalSeconds:0} s");
        return new ConsumerProgress(Topic, GroupId, false, _paused ? "paused, retrying" : "consuming");
    }

    private void MarkPolled() => Interlocked.Exchange(ref _lastPollTicks, _timeProvider.GetUtcNow().UtcTicks);

    private void BeginWork() => Interlocked.Exchange(ref _busySinceTicks, _timeProvider.GetUtcNow().UtcTicks);

    private void EndWork() => Interlocked.Exchange(ref _busySinceTicks, 0);

    private HeldMessage Hold(ConsumeResult<byte[], byte[]> result) => new(result, _epochs.GetValueOrDefault(result.TopicPartition));

    private bool IsStillOurs(HeldMessage held) => _epochs.GetValueOrDefault(held.Result.TopicPartition) == held.Epoch;

    /// <summary>Runs inside Consume or Close, on the loop's own flow, so no lock is needed.</summary>
    private void OnRevoked(List<TopicPartitionOffset> partitions, bool lost)
    {
        foreach (var partition in partitions)
            _epochs[partition.TopicPartition] = _epochs.GetValueOrDefault(partition.TopicPartition) + 1;
        var list = Partitions(partitions.Select(p => p.TopicPartition));
        if (lost)
            LogLost(Topic, list);
        else
            LogRevoked(Topic, list);
        OnPartitionsRevoked([.. partitions.Select(p => p.TopicPartition)]);
    }

    /// <summary>
    /// Called on the consume loop's thread (between messages) when partitions are revoked or lost:
    /// state kept per partition in memory may be changed by their next owner from now on.
    /// </summary>
    protected virtual void OnPartitionsRevoked(IReadOnlyList<TopicPartition> partitions)
    {
    }

    /// <summary>Stores the offset of a settled message, unless its partition moved to another member meanwhile.</summary>
    private void Store(HeldMessage held)
    {
        if (!IsStillOurs(held) || _consumer is not { } consumer)
        {
            LogDropped(Topic, held.Result.Partition.Value, held.Result.Offset.Value);
            return;
        }

        try
        {
            consumer.StoreOffset(held.Result);
        }
        catch (KafkaException ex)
        {
            // The partition went away without a revoke callback (closing): the next owner re-reads it.
            LogStoreFailed(Topic, held.Result.Partition.Value, held.Result.Offset.Value, ex.Error.Reason);
        }
    }

    /// <summary>
    /// Awaits <paramref name="task"/>; if it is not done within <see cref="KeepAliveAfter"/>, pauses
    /// the partitions and polls beside it. Completes with the task's own outcome.
    /// </summary>
    private async Task KeepPollingWhileAsync(Task task, CancellationToken cancellationToken)
    {
        if (!task.IsCompleted)
        {
            try
            {
                await task.WaitAsync(KeepAliveAfter, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Ours (still running) or the task's own (awaited below, which rethrows it).
            }

            if (!task.IsCompleted)
            {
                Pause();
                PollUntil(task, cancellationToken);
            }
        }

        await task.ConfigureAwait(false);
    }

    /// <summary>Waits <paramref name="delay"/> with the partitions paused and the loop polling.</summary>
    private async Task PauseForAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        Pause();
        var wait = Task.Delay(delay, _timeProvider, cancellationToken);
        PollUntil(wait, cancellationToken);
        await wait.ConfigureAwait(false);
    }

    /// <summary>Between the messages of a long batch: poll once if the last poll is getting old.</summary>
    private void KeepAliveIfDue()
    {
        var sincePoll = TimeSpan.FromTicks(_timeProvider.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastPollTicks));
        if (sincePoll < KeepAliveAfter) return;
        Pause();
        PollPausedOnce();
    }

    private void PollUntil(Task task, CancellationToken cancellationToken)
    {
        while (!task.IsCompleted && !cancellationToken.IsCancellationRequested)
            PollPausedOnce();
    }

    private void PollPausedOnce()
    {
        if (_consumer is not { } consumer) return;
        // Again each time: partitions assigned during the pause must be paused too.
        Pause();
        MarkPolled();
        if (TryConsume(consumer, PausedPollInterval) is { } fetched)
        {
            // Already taken from the client, so it is not fetched again: keep it, in order, for
            // after the message being worked on.
            _fetchedWhilePaused.Enqueue(Hold(fetched));
            LogFetchedWhilePaused(Topic, fetched.Partition.Value, fetched.Offset.Value);
        }
    }

    private void Pause()
    {
        if (_consumer is not { } consumer) return;
        try
        {
            var assignment = consumer.Assignment;
            if (assignment.Count > 0) consumer.Pause(assignment);
            _paused = true;
        }
        catch (KafkaException ex)
        {
            LogPauseFailed(Topic, ex.Error.Reason);
        }
    }

    private void ResumeIfPaused()
    {
        if (!_paused || _consumer is not { } consumer) return;
        try
        {
            var assignment = consumer.Assignment;
            if (assignment.Count > 0) consumer.Resume(assignment);
            _paused = false;
        }
        catch (KafkaException ex)
        {
            LogPauseFailed(Topic, ex.Error.Reason);
        }
    }
}
