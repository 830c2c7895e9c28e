using Streaming.Contracts;

namespace Streaming.Alerting.DeadLetters;

/// <summary>A dead letter with where it sits in the dead-letter topic ("partition:offset" identifies it).</summary>
public sealed record StoredDeadLetter(int Partition, long Offset, DeadLetter Letter)
{
    public string Position => $"{Partition}:{Offset}";

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
