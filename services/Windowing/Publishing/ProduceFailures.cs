using Confluent.Kafka;

namespace Streaming.Windowing.Publishing;

/// <summary>
/// Tells a refusal that will never succeed (the message itself is wrong for Kafka) from a failure
/// that a retry can fix (broker down, leader moving, timeout).
/// </summary>
public static class ProduceFailures
{
    private static readonly HashSet<ErrorCode> Permanent =
    [
        ErrorCode.MsgSizeTooLarge,
        ErrorCode.RecordListTooLarge,
        ErrorCode.InvalidMsg,
        ErrorCode.InvalidMsgSize,
        ErrorCode.InvalidRecord,
        ErrorCode.InvalidTimestamp,
        ErrorCode.Local_BadMsg,
        ErrorCode.Local_KeySerialization,
        ErrorCode.Local_ValueSerialization,
    ];

    /// <summary>
    /// True when producing the same message again cannot succeed. A fatal client error is not
    /// counted: it fails every message alike and is no message's fault. Exceptions that are not
    /// Kafka's (a serializer or header that rejects the message) are the message's fault.
    /// </summary>
    public static bool IsPermanent(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            KafkaException kafka => !kafka.Error.IsFatal && Permanent.Contains(kafka.Error.Code),
            OperationCanceledException or ObjectDisposedException => false,
            _ => true,
        };
    }
}
