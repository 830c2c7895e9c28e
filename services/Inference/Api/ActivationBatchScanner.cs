using Google.Protobuf;

namespace Streaming.Inference.Api;

/// <summary>
/// Counts the events of a serialized ActivationBatch without building them. A 16 MB body of empty
/// events is eight million objects once parsed; counting first lets a request over the batch limit
/// be refused for the cost of reading its length prefixes.
/// </summary>
public static class ActivationBatchScanner
{
    private const int EventsField = 1;

    /// <summary>
    /// The number of events, stopping as soon as it passes <paramref name="maxEvents"/> (the answer
    /// is then maxEvents + 1). Throws <see cref="InvalidProtocolBufferException"/> for bytes that are no batch.
    /// </summary>
    public static int CountEvents(byte[] body, int maxEvents)
    {
        var input = new CodedInputStream(body);
        var count = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == EventsField && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                if (++count > maxEvents) return count;
            }

            input.SkipLastField();
        }

        return count;
    }
}
