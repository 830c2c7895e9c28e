using Streaming.Contracts;

namespace Streaming.Control.DeadLetters;

/// <summary>A dead letter with where it sits in the dead-letter topic ("partition:offset" identifies it).</summary>
public sealed record StoredDeadLetter(int Partition, long Offset, DeadLetter Letter)
{
    public string Position => $"{Partition}:{Offset}";

    /// <summary>
    /// Why this letter cannot be re-sent as it is stored, or null when it holds the whole original. A
    /// payload or key that was too large is stored truncated (see DeadLetterPublisher); only the
    /// original message, at <see cref="Original"/>, is whole.
    /// </summary>
    public string? WhyNotResendable()
    {
        if (string.IsNullOrEmpty(Letter.SourceTopic))
            return "it names no source topic";
        if (Letter.Part)
            return $"it holds one part of the message at {Original} (for example one event of a window), not a message of that topic";
        if (Letter.PayloadTruncated)
            return $"its payload was stored truncated ({Letter.Payload.Length} of {Letter.OriginalPayloadSize} bytes); the whole original is at {Original}";
        if (Letter.KeyTruncated)
            return $"its key was stored truncated ({Letter.Key.Length} bytes kept); the whole original is at {Original}";
        return null;
    }

    /// <summary>Where the original message was consumed: "topic [partition] @ offset".</summary>
    public string Original => $"{Letter.SourceTopic} [{Letter.SourcePartition}] @ {Letter.SourceOffset}";

    /// <summary>The alert id inside the payload, or null when the payload is not a parsable alert.</summary>
    public string? AlertId
    {
        get
        {
            try
            {
                return Alert.Parser.ParseFrom(Letter.Payload).AlertId is { Length: > 0 } id ? id : null;
            }
            catch (Google.Protobuf.InvalidProtocolBufferException)
            {
                return null;
            }
        }
    }
}
