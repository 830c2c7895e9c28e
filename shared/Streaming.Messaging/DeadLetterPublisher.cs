using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Contracts;

namespace Streaming.Messaging;

/// <summary>Writes what a service could not process to "&lt;topic&gt;.deadletter", with the reason.</summary>
public sealed class DeadLetterPublisher(KafkaProducerHandle producer, TimeProvider timeProvider)
{
    public async Task PublishAsync(ConsumeResult<byte[], byte[]> source, string service, string reason, uint attempts, CancellationToken cancellationToken)
    {
        var letter = new DeadLetter
        {
            SchemaVersion = SchemaVersions.Current,
            SourceTopic = source.Topic,
            SourcePartition = source.Partition.Value,
            SourceOffset = source.Offset.Value,
            Service = service,
            Reason = reason,
            Key = ByteString.CopyFrom(source.Message.Key ?? []),
            Payload = ByteString.CopyFrom(source.Message.Value ?? []),
            Timestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()),
            Attempts = attempts,
        };
        var message = new Message<byte[], byte[]> { Key = source.Message.Key ?? [], Value = letter.ToByteArray() };
        message.Headers = [];
        message.Headers.Add("reason", System.Text.Encoding.UTF8.GetBytes(reason));
        await producer.ProduceAsync(Topics.DeadLetterOf(source.Topic), message, cancellationToken).ConfigureAwait(false);
        MessagingMetrics.DeadLettered.Add(1, new KeyValuePair<string, object?>("topic", source.Topic));
    }

    /// <summary>
    /// Dead-letters one part of a consumed message on its own, while the rest was processed (for
    /// example one event of a window): <paramref name="payload"/> is the part's bytes; topic, partition,
    /// offset and key are those of the message it came with.
    /// </summary>
    public async Task PublishPartAsync(ConsumeResult<byte[], byte[]> source, byte[] payload, string service, string reason, CancellationToken cancellationToken)
    {
        var letter = new DeadLetter
        {
            SchemaVersion = SchemaVersions.Current,
            SourceTopic = source.Topic,
            SourcePartition = source.Partition.Value,
            SourceOffset = source.Offset.Value,
            Service = service,
            Reason = reason,
            Key = ByteString.CopyFrom(source.Message.Key ?? []),
            Payload = ByteString.CopyFrom(payload),
            Timestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()),
            Attempts = 1,
        };
        var message = new Message<byte[], byte[]> { Key = source.Message.Key ?? [], Value = letter.ToByteArray(), Headers = [] };
        message.Headers.Add("reason", System.Text.Encoding.UTF8.GetBytes(reason));
        await producer.ProduceAsync(Topics.DeadLetterOf(source.Topic), message, cancellationToken).ConfigureAwait(false);
        MessagingMetrics.DeadLettered.Add(1, new KeyValuePair<string, object?>("topic", source.Topic));
    }
}
