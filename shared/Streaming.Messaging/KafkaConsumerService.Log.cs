using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Streaming.Messaging;

public abstract partial class KafkaConsumerService
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}: joining group {GroupId}")]
    private partial void LogStarted(string topic, string groupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}: left group {GroupId}, stopped consuming")]
    private partial void LogStopped(string topic, string groupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}: partitions assigned [{Partitions}]")]
    private partial void LogAssigned(string topic, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}: partitions revoked [{Partitions}]")]
    private partial void LogRevoked(string topic, string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}: partitions lost [{Partitions}]")]
    private partial void LogLost(string topic, string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}: consumer error {Code}: {Reason}")]
    private partial void LogConsumerError(string topic, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Topic}: fatal consumer error {Code}: {Reason}")]
    private partial void LogFatalConsumerError(string topic, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}: consume failed {Code}: {Reason}")]
    private partial void LogConsumeError(string topic, ErrorCode code, string reason);

    /// <summary>One of librdkafka's own lines, at the level <see cref="OnLog"/> chose for it.</summary>
    [LoggerMessage(Message = "{Topic}: librdkafka {Facility}: {Message}")]
    private partial void LogLibrdkafka(LogLevel level, string topic, string facility, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Topic}[{Partition}]: {Skipped} messages skipped, never handled: the consumer was at offset {From} and resumes at {To} ({Reason}); the broker no longer held them, usually retention deleting what this group had not read")]
    private partial void LogMessagesSkipped(string topic, int partition, long from, long to, long skipped, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}[{Partition}]: position moved back from offset {From} to {To} ({Reason}); the messages between are handled again")]
    private partial void LogOffsetMovedBack(string topic, int partition, long from, long to, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Topic}[{Partition}]: position reset from offset {From} ({Reason}); messages may have been skipped, how many is not known")]
    private partial void LogOffsetResetUnknown(string topic, int partition, long from, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}[{Partition}]@{Offset} cannot be processed, dead-lettering it: {Reason}")]
    private partial void LogPermanentFailure(string topic, int partition, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}[{Partition}]@{Offset} attempt {Attempt} failed; retrying in {DelayMs} ms")]
    private partial void LogRetrying(Exception ex, string topic, int partition, long offset, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Topic}[{Partition}]@{Offset} failed {Attempt} times, dead-lettering it")]
    private partial void LogGaveUp(Exception ex, string topic, int partition, long offset, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}: a batch of {Count} messages failed; handling each alone")]
    private partial void LogBatchFailed(Exception ex, string topic, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}: outage started at partition {Partition} offset {Offset}; partitions paused, retrying with backoff until it recovers")]
    private partial void LogOutageStarted(Exception ex, string topic, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Topic}: outage continues ({Failures} failures): {Type}: {Reason}")]
    private partial void LogOutageContinues(string topic, int failures, string type, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}: recovered after an outage of {DurationSeconds:0.0} s and {Failures} failed tries; partitions resumed")]
    private partial void LogOutageEnded(string topic, double durationSeconds, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Topic}[{Partition}]@{Offset}: outage outlasted {MaxOutageSeconds} s, dead-lettering the message")]
    private partial void LogOutageTooLong(string topic, int partition, long offset, double maxOutageSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}[{Partition}]@{Offset}: dead letter attempt {DeadLetterAttempt} failed; retrying")]
    private partial void LogDeadLetterRetrying(Exception ex, string topic, int partition, long offset, int deadLetterAttempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Topic}[{Partition}]@{Offset} could not be dead-lettered and is skipped (reason was: {Reason})")]
    private partial void LogDeadLetterFailed(Exception ex, string topic, int partition, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}[{Partition}]@{Offset}: partition moved to another member; dropped without storing its offset")]
    private partial void LogDropped(string topic, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}[{Partition}]@{Offset}: offset not stored: {Reason}")]
    private partial void LogStoreFailed(string topic, int partition, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Topic}[{Partition}]@{Offset} fetched while paused; kept for after the current message")]
    private partial void LogFetchedWhilePaused(string topic, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}: pause/resume failed: {Reason}")]
    private partial void LogPauseFailed(string topic, string reason);
}
