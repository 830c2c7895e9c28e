using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Streaming.Messaging;

/// <summary>
/// A consumer-group member running a dedicated consume loop (as in confluent-kafka-dotnet's
/// examples). At-least-once: a message's offset is stored only after <see cref="HandleAsync"/>
/// returned or the message was dead-lettered, and stored offsets are committed in the background
/// and on revoke / close. A message that cannot be parsed goes to the dead-letter topic at once; a
/// handler that keeps failing is retried with backoff, then dead-lettered with the attempts.
/// </summary>
public abstract partial class KafkaConsumerService : BackgroundService
{
    private static readonly TimeSpan LagInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly KafkaOptions _kafka;
    private readonly DeadLetterPublisher _deadLetters;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    protected KafkaConsumerService(
        IOptions<KafkaOptions> kafka,
        DeadLetterPublisher deadLetters,
        TimeProvider timeProvider,
        ILogger logger)
    {
        _kafka = kafka.Value;
        _deadLetters = deadLetters;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    protected TimeProvider TimeProvider => _timeProvider;

    protected abstract string Topic { get; }

    protected abstract string GroupId { get; }

    /// <summary>Name written into dead letters and client ids.</summary>
    protected abstract string ServiceName { get; }

    /// <summary>How often a failing handler is tried before its message is dead-lettered.</summary>
    protected virtual int MaxAttempts => 8;

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
            .SetErrorHandler((_, e) => LogConsumerError(Topic, e.Code, e.Reason))
            .SetLogHandler((_, m) => LogLibrdkafka(m.Facility, m.Message))
            .SetPartitionsAssignedHandler((_, partitions) => LogAssigned(Topic, string.Join(',', partitions.Select(p => p.Partition.Value))))
            .SetPartitionsRevokedHandler((_, partitions) => LogRevoked(Topic, string.Join(',', partitions.Select(p => p.Partition.Value))))
            .SetPartitionsLostHandler((_, partitions) => LogLost(Topic, string.Join(',', partitions.Select(p => p.Partition.Value))))
            .Build();
        consumer.Subscribe(Topic);
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

                ConsumeResult<byte[], byte[]>? result;
                try
                {
                    // A bounded wait, so lag is still reported (as 0) while the topic is idle.
                    result = consumer.Consume(PollInterval);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    LogConsumeError(Topic, ex.Error.Code, ex.Error.Reason);
                    continue;
                }

                if (result is null || result.IsPartitionEOF) continue;
                var batch = DrainBacklog(consumer, result);
                MessagingMetrics.Consumed.Add(batch.Count, new KeyValuePair<string, object?>("topic", Topic));
                if (batch.Count == 1)
                    await ProcessAsync(result, stoppingToken).ConfigureAwait(false);
                else
                    await ProcessBatchAsync(batch, stoppingToken).ConfigureAwait(false);
                foreach (var handled in batch)
                    consumer.StoreOffset(handled);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Close commits the stored offsets and leaves the group, so partitions move at once.
            consumer.Close();
            LogStopped(Topic);
        }
    }

    /// <summary>The first message plus what is already fetched, up to <see cref="MaxBatchSize"/>.</summary>
    private List<ConsumeResult<byte[], byte[]>> DrainBacklog(IConsumer<byte[], byte[]> consumer, ConsumeResult<byte[], byte[]> first)
    {
        var batch = new List<ConsumeResult<byte[], byte[]>> { first };
        while (batch.Count < MaxBatchSize)
        {
            ConsumeResult<byte[], byte[]>? next;
            try
            {
                next = consumer.Consume(TimeSpan.Zero);
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                LogConsumeError(Topic, ex.Error.Code, ex.Error.Reason);
                break;
            }

            if (next is null) break;
            if (!next.IsPartitionEOF) batch.Add(next);
        }

        return batch;
    }

    private async Task ProcessBatchAsync(List<ConsumeResult<byte[], byte[]>> batch, CancellationToken stoppingToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await HandleBatchAsync(batch, stoppingToken).ConfigureAwait(false);
            MessagingMetrics.HandlerDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("topic", Topic));
            return;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogBatchFailed(ex, Topic, batch.Count);
        }

        foreach (var result in batch)
            await ProcessAsync(result, stoppingToken).ConfigureAwait(false);
    }

    private async Task ProcessAsync(ConsumeResult<byte[], byte[]> result, CancellationToken stoppingToken)
    {
        using var activity = TraceContext.StartConsume(Topic, result.Message.Headers);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await HandleAsync(result, stoppingToken).ConfigureAwait(false);
                MessagingMetrics.HandlerDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("topic", Topic));
                return;
            }
            catch (MalformedMessageException ex)
            {
                LogMalformed(Topic, result.Partition.Value, result.Offset.Value, ex.Message);
                await _deadLetters.PublishAsync(result, ServiceName, ex.Message, (uint)attempt, stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (attempt >= MaxAttempts)
                {
                    var reason = $"Handler failed {attempt} times: {ex.GetType().Name}: {ex.Message}";
                    LogGaveUp(ex, Topic, result.Partition.Value, result.Offset.Value, attempt);
                    await _deadLetters.PublishAsync(result, ServiceName, reason, (uint)attempt, stoppingToken).ConfigureAwait(false);
                    return;
                }

                var delay = TimeSpan.FromMilliseconds(Math.Min(10_000, 200 * Math.Pow(2, attempt - 1)));
                LogRetrying(ex, Topic, result.Partition.Value, result.Offset.Value, attempt, delay.TotalMilliseconds);
                await Task.Delay(delay, _timeProvider, stoppingToken).ConfigureAwait(false);
            }
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

        MessagingMetrics.RecordLag(Topic, lag);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Topic} in group {GroupId}")]
    private partial void LogStarted(string topic, string groupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped consuming {Topic}")]
    private partial void LogStopped(string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}: partitions assigned [{Partitions}]")]
    private partial void LogAssigned(string topic, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}: partitions revoked [{Partitions}]")]
    private partial void LogRevoked(string topic, string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}: partitions lost [{Partitions}]")]
    private partial void LogLost(string topic, string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}: consumer error {Code}: {Reason}")]
    private partial void LogConsumerError(string topic, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}: consume failed {Code}: {Reason}")]
    private partial void LogConsumeError(string topic, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka {Facility}: {Message}")]
    private partial void LogLibrdkafka(string facility, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}[{Partition}]@{Offset} is malformed, dead-lettered: {Reason}")]
    private partial void LogMalformed(string topic, int partition, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}[{Partition}]@{Offset} attempt {Attempt} failed; retrying in {DelayMs} ms")]
    private partial void LogRetrying(Exception ex, string topic, int partition, long offset, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}: a batch of {Count} messages failed; handling each alone")]
    private partial void LogBatchFailed(Exception ex, string topic, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Topic}[{Partition}]@{Offset} failed {Attempt} times, dead-lettered")]
    private partial void LogGaveUp(Exception ex, string topic, int partition, long offset, int attempt);
}
