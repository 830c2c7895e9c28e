using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.Windowing.Publishing;

/// <summary>
/// Dead-letters outbox entries that can never be published, to "&lt;windows topic&gt;.deadletter".
/// They did not come from Kafka, so the letter has no source offset (-1); the window id is in the
/// reason. Everything variable is capped, so the letter itself always fits into a Kafka message
/// even when the window was refused for its size.
/// </summary>
public sealed class WindowDeadLetters(KafkaProducerHandle producer, MessagingMetrics metrics, TimeProvider timeProvider)
{
    public const int MaxPayloadBytes = 64 * 1024;
    public const int MaxReasonChars = 1024;
    public const int MaxKeyBytes = 256;
    public const string Service = "windowing";

    /// <summary>Produces the letter and waits for Kafka's acknowledgement; throws what the producer throws.</summary>
    public async Task PublishAsync(string windowsTopic, string? streamId, byte[] payload, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(windowsTopic);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(reason);
        var kept = payload.Length <= MaxPayloadBytes ? payload : payload[..MaxPayloadBytes];
        if (kept.Length < payload.Length)
            reason = $"{Shorten(reason, MaxReasonChars - 64)} (payload truncated from {payload.Length} to {kept.Length} bytes)";
        reason = Shorten(reason, MaxReasonChars);
        var key = Encoding.UTF8.GetBytes(streamId ?? "");
        if (key.Length > MaxKeyBytes) key = key[..MaxKeyBytes];

        var letter = new DeadLetter
        {
            SchemaVersion = SchemaVersions.Current,
            SourceTopic = windowsTopic,
            SourcePartition = -1,
            SourceOffset = -1,
            Service = Service,
            Reason = reason,
            Key = ByteString.CopyFrom(key),
            Payload = ByteString.CopyFrom(kept),
            Timestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()),
            Attempts = 1,
        };
        var message = new Message<byte[], byte[]>
        {
            Key = key,
            Value = letter.ToByteArray(),
            Headers = [new Header("reason", Encoding.UTF8.GetBytes(reason))],
        };
        await producer.ProduceAsync(Topics.DeadLetterOf(windowsTopic), message, cancellationToken).ConfigureAwait(false);
        metrics.RecordDeadLettered(windowsTopic);
    }

    /// <summary>At most <paramref name="max"/> characters, marked when cut (window ids can hold a huge model name).</summary>
    public static string Shorten(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max) return text;
        var cut = max - 1;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return string.Concat(text.AsSpan(0, cut), "…");
    }
}
