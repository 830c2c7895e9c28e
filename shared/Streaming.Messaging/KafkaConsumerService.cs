using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Streaming.Messaging;

/// <summary>
/// A consumer-group member running a dedicated consume loop (as in confluent-kafka-dotnet's
/// examples). At-least-once: a message's offset is stored only after <see cref="HandleAsync"/>
/// returned or the message was dead-lettered, and stored offsets are committed in the background
/// and on revoke / close.
/// <para>
/// A failed message costs one message, never the partition or the service. What happens to it
/// depends on <see cref="Classify"/>: a permanent failure (bad content, too large) is
/// dead-lettered at once; a transient one (Redis, RabbitMQ or Kafka unreachable) is retried with
/// capped exponential backoff for as long as the outage lasts (or <see cref="MaxOutage"/>), with
/// the assigned partitions paused and the loop still polling, so the member keeps its place in the
/// group (max.poll.interval.ms is never exceeded); a failure of unknown kind gets
/// <see cref="MaxAttempts"/> quick tries, then is dead-lettered. A dead letter that cannot be
/// written is retried while the failure is transient and otherwise logged at Error, counted and
/// skipped: no handler or dead-letter failure ends the loop; only cancellation and fatal consumer
/// errors do. A handler still running after half a second gets the same pause-and-poll treatment.
/// </para>
/// </summary>
public abstract partial class KafkaConsumerService : BackgroundService
{
    private static readonly TimeSpan LagInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly KafkaOptions _kafka;
    private readonly DeadLetterPublisher _deadLetters;
    private readonly MessagingMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConsumerOutage _outage;

    protected KafkaConsumerService(
        IOptions<KafkaOptions> kafka,
        DeadLetterPublisher deadLetters,
        MessagingMetrics metrics,
        TimeProvider timeProvider,
        ILogger logger)
    {
        _kafka = kafka.Value;
        _deadLetters = deadLetters;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
        _outage = new ConsumerOutage(timeProvider);
    }

    protected TimeProvider TimeProvider => _timeProvider;

    protected abstract string Topic { get; }

    protected abstract string GroupId { get; }

    /// <summary>Name written into dead letters and client ids.</summary>
    protected abstract string ServiceName { get; }

    /// <summary>The topic this consumer reads (for health reports and metrics).</summary>
    public string ConsumedTopic => Topic;

    /// <summary>
    /// How often a message whose failure is of unknown kind (<see cref="FailureKind.Unknown"/>) is
    /// tried before it is dead-lettered. Transient failures are not counted against it.
    /// </summary>
    protected virtual int MaxAttempts => 3;

    /// <summary>
    /// How long an outage (transient failures without a success in between) may last before a
    /// message that fails transiently is dead-lettered instead of retried. Infinite by default: an
    /// outage holds the messages, paused, until the dependency is back.
    /// </summary>
    protected virtual TimeSpan MaxOutage => Timeout.InfiniteTimeSpan;

    /// <summary>First retry delay; each further try doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    protected virtual TimeSpan RetryBaseDelay => TimeSpan.FromMilliseconds(200);

    protected virtual TimeSpan MaxRetryDelay => TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether a failure is worth retrying; <see cref="FailureClassifier"/> unless a service knows
    /// better about its own exceptions.
    /// </summary>
    protected virtual FailureKind Classify(Exception exception) => FailureClassifier.Classify(exception);

    protected abstract Task HandleAsync(ConsumeResult<byte[], byte[]> result, CancellationToken cancellationToken);

    /// <summary>
    /// At most this many messages that are already fetched are handed to <see cref="HandleBatchAsync"/>
    /// together (1: one at a time). A batch is formed only from messages waiting in the client's
    /// queue, never by waiting for more, so a quiet topic keeps its latency.
    /// </summary>
    protected virtual int MaxBatchSize => 1;

    /// <summary>
    /// Handles a backlog at once (for example one device call for several windows). When it throws,
    /// each message is handled again alone through <see cref="HandleAsync"/>, with its retries and
    /// dead letters, so one bad message cannot hold up or lose the others (at-least-once: results of
    /// the failed batch may be produced twice).
    /// </summary>
    protected virtual Task HandleBatchAsync(IReadOnlyList<ConsumeResult<byte[], byte[]>> batch, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} sets MaxBatchSize above 1 but does not override HandleBatchAsync.");

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Consume() blocks; give the loop its own thread instead of a pool thread.
        Task.Factory.StartNew(() => RunAsync(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var config = KafkaClientConfigs.Consumer(_kafka, ServiceName, GroupId);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, e) => OnError(e))
            .SetLogHandler((_, m) => OnLog(m))
            .SetPartitionsAssignedHandler((_, partitions) => LogAssigned(Topic, Partitions(partitions)))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions, lost: false))
            .SetPartitionsLostHandler((_, partitions) => OnRevoked(partitions, lost: true))
            .Build();
        _consumer = consumer;
        consumer.Subscribe(Topic);
        MarkPolled();
        Volatile.Write(ref _state, StateRunning);
        _metrics.Track(this);
        LogStarted(Topic, GroupId);
        var nextLag = _timeProvider.GetUtcNow() + LagInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_timeProvider.GetUtcNow() >= nextLag)
                {
                    RecordLag(consumer);
                    nextLag = _timeProvider.GetUtcNow() + LagInterval;
                }

                var batch = NextBatch(consumer);
                if (batch.Count == 0) continue;
                _metrics.RecordConsumed(Topic, batch.Count);
                BeginWork();
                try
                {
                    if (batch.Count == 1)
                        await ProcessAsync(batch[0], stoppingToken).ConfigureAwait(false);
                    else
                        await ProcessBatchAsync(batch, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    EndWork();
                }

                ResumeIfPaused();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Write(ref _state, StateStopped);
            _metrics.Untrack(this);
            // Close commits the stored offsets and leaves the group, so partitions move at once.
            consumer.Close();
            _consumer = null;
            LogStopped(Topic, GroupId);
        }
    }

    /// <summary>
    /// Messages fetched while the partitions were paused first (they were taken from the client
    /// and must not be skipped), else the next message plus what is already fetched, up to
    /// <see cref="MaxBatchSize"/>.
    /// </summary>
    private List<HeldMessage> NextBatch(IConsumer<byte[], byte[]> consumer)
    {
        var batch = new List<HeldMessage>();
        while (batch.Count < MaxBatchSize && _fetchedWhilePaused.TryDequeue(out var held))
            batch.Add(held);
        if (batch.Count > 0) return batch;

        MarkPolled();
        if (TryConsume(consumer, PollInterval) is not { } first) return batch;
        batch.Add(Hold(first));
        while (batch.Count < MaxBatchSize && TryConsume(consumer, TimeSpan.Zero) is { } next)
            batch.Add(Hold(next));
        return batch;
    }

    /// <summary>The next message, or null on timeout, end of partition or a non-fatal error (logged).</summary>
    private ConsumeResult<byte[], byte[]>? TryConsume(IConsumer<byte[], byte[]> consumer, TimeSpan timeout)
    {
        try
        {
            var result = consumer.Consume(timeout);
            return result is null || result.IsPartitionEOF ? null : result;
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            LogConsumeError(Topic, ex.Error.Code, ex.Error.Reason);
            return null;
        }
    }

    private void RecordLag(IConsumer<byte[], byte[]> consumer)
    {
        long lag = 0;
        foreach (var partition in consumer.Assignment)
        {
            var watermarks = consumer.GetWatermarkOffsets(partition);
            var position = consumer.Position(partition);
            if (watermarks.High.Value >= 0 && position.Value >= 0)
                lag += Math.Max(0, watermarks.High.Value - position.Value);
        }

        _metrics.RecordLag(Topic, lag);
    }

    private void OnError(Error error)
    {
        if (error.IsFatal)
            LogFatalConsumerError(Topic, error.Code, error.Reason);
        else
            LogConsumerError(Topic, error.Code, error.Reason);
    }

    /// <summary>
    /// librdkafka's own lines: warnings and worse (MAXPOLL "leaving group", broker down, …) at
    /// Warning, notices at Information, the rest at Debug.
    /// </summary>
    private void OnLog(LogMessage message)
    {
        if (message.Level <= SyslogLevel.Warning && message.Facility == "OFFSET" && OffsetReset.TryParse(message.Message, out var reset))
        {
            ReportOffsetReset(reset);
            return;
        }
        var level = message.Level switch
        {
            <= SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        LogLibrdkafka(level, Topic, message.Facility, message.Message);
    }

    /// <summary>
    /// A jump forward loses messages silently (the consumer goes on as if nothing happened): an Error and a
    /// counted metric, so that an operator sees that traffic went untested. A jump back only repeats messages.
    /// </summary>
    private void ReportOffsetReset(OffsetReset reset)
    {
        switch (reset.Skipped)
        {
            case > 0 and var skipped:
                _metrics.RecordSkippedByReset(Topic, skipped);
                LogMessagesSkipped(Topic, reset.Partition, reset.From, reset.To!.Value, skipped, reset.Reason);
                break;
            case 0:
                LogOffsetMovedBack(Topic, reset.Partition, reset.From, reset.To!.Value, reset.Reason);
                break;
            default:
                LogOffsetResetUnknown(Topic, reset.Partition, reset.From, reset.Reason);
                break;
        }
    }

    private static string Partitions(IEnumerable<TopicPartition> partitions) => string.Join(',', partitions.Select(p => p.Partition.Value));
}
