using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Streaming.Contracts;

namespace Streaming.Messaging;

/// <summary>
/// Writes what a service could not process to "&lt;topic&gt;.deadletter", with the reason. Every part
/// that comes from the failed message is capped, so that a dead letter always fits in a Kafka
/// message and its "reason" header is short plain text: the payload keeps its first
/// Kafka:DeadLetterMaxPayloadBytes (flagged truncated, with the original size), and the source
/// topic, partition and offset point at the original. A part of a message dead-lettered on its own
/// (one event of a window) is capped the same way and flagged as a part.
/// </summary>
public sealed class DeadLetterPublisher(KafkaProducerHandle producer, MessagingMetrics metrics, IOptions<KafkaOptions> options, TimeProvider timeProvider)
{
    /// <summary>Longest reason stored in the letter (characters); reasons quote exception messages, which quote input.</summary>
    public const int MaxReasonLength = 2048;

    /// <summary>Longest "reason" header (characters, control characters replaced).</summary>
    public const int MaxReasonHeaderLength = 256;

    /// <summary>Longest key kept (bytes); keys are stream ids, far shorter when valid.</summary>
    public const int MaxKeyBytes = 1024;

    private readonly int _maxPayloadBytes = options.Value.DeadLetterMaxPayloadBytes;

    public async Task PublishAsync(ConsumeResult<byte[], byte[]> source, string service, string reason, uint attempts, CancellationToken cancellationToken)
    {
        var message = Build(source, service, reason, attempts);
        await producer.ProduceAsync(Topics.DeadLetterOf(source.Topic), message, cancellationToken).ConfigureAwait(false);
        metrics.RecordDeadLettered(source.Topic);
    }

    /// <summary>The dead-letter message for <paramref name="source"/>, every part capped.</summary>
    public Message<byte[], byte[]> Build(ConsumeResult<byte[], byte[]> source, string service, string reason, uint attempts) =>
        Build(source, source.Message.Value ?? [], part: false, service, reason, attempts);

    /// <summary>
    /// Dead-letters one part of a consumed message on its own, while the rest was processed (for
    /// example one event of a window): <paramref name="payload"/> is the part's bytes; topic, partition,
    /// offset and key are those of the message it came with, and the letter is flagged as a part.
    /// </summary>
    public async Task PublishPartAsync(ConsumeResult<byte[], byte[]> source, byte[] payload, string service, string reason, CancellationToken cancellationToken)
    {
        var message = BuildPart(source, payload, service, reason);
        await producer.ProduceAsync(Topics.DeadLetterOf(source.Topic), message, cancellationToken).ConfigureAwait(false);
        metrics.RecordDeadLettered(source.Topic);
    }

    /// <summary>The dead-letter message for one part of <paramref name="source"/>, capped as <see cref="Build(ConsumeResult{byte[], byte[]}, string, string, uint)"/>.</summary>
    public Message<byte[], byte[]> BuildPart(ConsumeResult<byte[], byte[]> source, byte[] payload, string service, string reason) =>
        Build(source, payload, part: true, service, reason, attempts: 1);

    private Message<byte[], byte[]> Build(ConsumeResult<byte[], byte[]> source, byte[] payload, bool part, string service, string reason, uint attempts)
    {
        var key = source.Message.Key ?? [];
        var keptKey = key.Length > MaxKeyBytes ? key[..MaxKeyBytes] : key;
        var storedReason = Truncate(reason, MaxReasonLength);
        var letter = new DeadLetter
        {
            SchemaVersion = SchemaVersions.Current,
            SourceTopic = source.Topic,
            SourcePartition = source.Partition.Value,
            SourceOffset = source.Offset.Value,
            Service = service,
            Reason = storedReason,
            Key = ByteString.CopyFrom(keptKey),
            KeyTruncated = keptKey.Length < key.Length,
            Payload = ByteString.CopyFrom(payload, 0, Math.Min(payload.Length, _maxPayloadBytes)),
            PayloadTruncated = payload.Length > _maxPayloadBytes,
            OriginalPayloadSize = (uint)payload.Length,
            Timestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()),
            Attempts = attempts,
            Part = part,
        };
        return new Message<byte[], byte[]>
        {
            Key = keptKey,
            Value = letter.ToByteArray(),
            Headers = [new Header("reason", Encoding.UTF8.GetBytes(HeaderText(storedReason)))],
        };
    }

    /// <summary>At most <paramref name="maxLength"/> characters, never splitting a surrogate pair.</summary>
    internal static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength) return text;
        const string ellipsis = "…";
        var cut = maxLength - ellipsis.Length;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return string.Concat(text.AsSpan(0, cut), ellipsis);
    }

    /// <summary>One short line of text: control characters (newlines included) become spaces.</summary>
    internal static string HeaderText(string reason)
    {
        var line = Truncate(reason, MaxReasonHeaderLength);
        return string.Create(line.Length, line, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
        });
    }
}
