using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using Confluent.Kafka;
using Google.Protobuf;

namespace Streaming.Messaging;

/// <summary>
/// The one place that decides whether a failed message is retried or dead-lettered. Types of
/// libraries this one does not reference (StackExchange.Redis, RabbitMQ.Client, MassTransit, Polly)
/// are matched by their full names, so every service gets the same answer without pulling in those
/// packages. A wrapper of an unknown type is judged by what it wraps.
/// </summary>
public static class FailureClassifier
{
    /// <summary>Exceptions that say "a dependency is unreachable, try again later".</summary>
    internal static readonly HashSet<string> TransientTypeNames =
    [
        "StackExchange.Redis.RedisConnectionException",
        "StackExchange.Redis.RedisTimeoutException",
        "RabbitMQ.Client.Exceptions.BrokerUnreachableException",
        "RabbitMQ.Client.Exceptions.ConnectFailureException",
        "RabbitMQ.Client.Exceptions.AlreadyClosedException",
        "RabbitMQ.Client.Exceptions.OperationInterruptedException",
        "RabbitMQ.Client.Exceptions.PublishException",
        "MassTransit.RabbitMqConnectionException",
        "MassTransit.MessageNotAcknowledgedException",
        "MassTransit.TransportUnavailableException",
        "MassTransit.ConnectionException",
        "MassTransit.RequestTimeoutException",
        "Polly.Timeout.TimeoutRejectedException",
        "Polly.CircuitBreaker.BrokenCircuitException",
        "Polly.CircuitBreaker.IsolatedCircuitException",
    ];

    /// <summary>Redis answers that mean "not now" (loading, failing over, out of memory until keys expire).</summary>
    private static readonly string[] TransientRedisErrors = ["LOADING", "BUSY", "MASTERDOWN", "READONLY", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS", "OOM"];

    /// <summary>Kafka errors that a later attempt can get past.</summary>
    private static readonly HashSet<ErrorCode> TransientKafkaErrors =
    [
        ErrorCode.Local_Transport, ErrorCode.Local_AllBrokersDown, ErrorCode.Local_TimedOut, ErrorCode.Local_MsgTimedOut,
        ErrorCode.Local_TimedOutQueue, ErrorCode.Local_QueueFull, ErrorCode.Local_WaitCoord, ErrorCode.Local_Retry,
        ErrorCode.Local_Resolve, ErrorCode.Local_WaitCache, ErrorCode.Local_PurgeInflight, ErrorCode.Local_PurgeQueue,
        ErrorCode.RequestTimedOut, ErrorCode.NetworkException, ErrorCode.LeaderNotAvailable, ErrorCode.NotLeaderForPartition,
        ErrorCode.BrokerNotAvailable, ErrorCode.ReplicaNotAvailable, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicasAfterAppend,
        ErrorCode.GroupLoadInProgress, ErrorCode.GroupCoordinatorNotAvailable, ErrorCode.NotCoordinatorForGroup,
        ErrorCode.UnknownTopicOrPart, ErrorCode.KafkaStorageError, ErrorCode.ThrottlingQuotaExceeded, ErrorCode.FencedLeaderEpoch,
        ErrorCode.UnknownLeaderEpoch, ErrorCode.OffsetNotAvailable, ErrorCode.PreferredLeaderNotAvailable, ErrorCode.RebootstrapRequired,
    ];

    /// <summary>Kafka errors caused by the message itself (too large, invalid): the same message fails again.</summary>
    private static readonly HashSet<ErrorCode> PermanentKafkaErrors =
    [
        ErrorCode.MsgSizeTooLarge, ErrorCode.InvalidMsg, ErrorCode.InvalidMsgSize, ErrorCode.InvalidRecord, ErrorCode.RecordListTooLarge,
        ErrorCode.InvalidTimestamp, ErrorCode.UnsupportedForMessageFormat, ErrorCode.Local_BadMsg, ErrorCode.Local_InvalidArg,
        ErrorCode.Local_KeySerialization, ErrorCode.Local_ValueSerialization, ErrorCode.Local_KeyDeserialization,
        ErrorCode.Local_ValueDeserialization, ErrorCode.TopicException, ErrorCode.Local_UnknownPartition, ErrorCode.Local_BadCompression,
    ];

    public static FailureKind Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Classify(exception, depth: 0);
    }

    private static FailureKind Classify(Exception exception, int depth)
    {
        if (exception is AggregateException aggregate)
            return Combine(aggregate.InnerExceptions.Select(e => Classify(e, depth + 1)));

        var kind = ClassifyOne(exception);
        // Wrappers (InvalidOperationException around a SocketException, TaskCanceledException
        // around a TimeoutException, …) are judged by the cause; the depth guards against cycles.
        if (kind == FailureKind.Unknown && exception.InnerException is { } inner && depth < 8)
            return Classify(inner, depth + 1);
        return kind;
    }

    /// <summary>One permanent part makes the whole permanent (retrying repeats it); one unknown part makes it unknown.</summary>
    private static FailureKind Combine(IEnumerable<FailureKind> kinds)
    {
        var result = FailureKind.Transient;
        var any = false;
        foreach (var kind in kinds)
        {
            any = true;
            if (kind == FailureKind.Permanent) return FailureKind.Permanent;
            if (kind == FailureKind.Unknown) result = FailureKind.Unknown;
        }

        return any ? result : FailureKind.Unknown;
    }

    private static FailureKind ClassifyOne(Exception exception)
    {
        var typeName = exception.GetType().FullName ?? "";
        if (TransientTypeNames.Contains(typeName)) return FailureKind.Transient;
        if (typeName == "StackExchange.Redis.RedisServerException")
            return TransientRedisErrors.Any(e => exception.Message.StartsWith(e, StringComparison.Ordinal)) ? FailureKind.Transient : FailureKind.Unknown;
        if (typeName == "StackExchange.Redis.RedisCommandException") return FailureKind.Permanent;

        return exception switch
        {
            MalformedMessageException => FailureKind.Permanent,
            InvalidProtocolBufferException => FailureKind.Permanent,
            JsonException => FailureKind.Permanent,
            FormatException => FailureKind.Permanent,
            ArgumentException => FailureKind.Permanent,
            InvalidDataException => FailureKind.Permanent,
            ArithmeticException => FailureKind.Permanent,
            InvalidCastException => FailureKind.Permanent,
            IndexOutOfRangeException => FailureKind.Permanent,
            NotSupportedException => FailureKind.Permanent,
            KafkaRetriableException => FailureKind.Transient,
            KafkaException kafka => ClassifyKafka(kafka.Error),
            TimeoutException => FailureKind.Transient,
            SocketException => FailureKind.Transient,
            // A missing file is configuration, not an outage: do not wait for it forever.
            FileNotFoundException or DirectoryNotFoundException or PathTooLongException => FailureKind.Unknown,
            IOException => FailureKind.Transient,
            HttpRequestException http => http.StatusCode is null || (int)http.StatusCode >= 500 || (int)http.StatusCode is 408 or 429
                ? FailureKind.Transient
                : FailureKind.Unknown,
            _ => FailureKind.Unknown,
        };
    }

    private static FailureKind ClassifyKafka(Error error)
    {
        if (error.IsFatal) return FailureKind.Unknown;
        if (PermanentKafkaErrors.Contains(error.Code)) return FailureKind.Permanent;
        return TransientKafkaErrors.Contains(error.Code) ? FailureKind.Transient : FailureKind.Unknown;
    }
}
