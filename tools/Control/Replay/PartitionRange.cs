using Confluent.Kafka;

namespace Streaming.Control.Replay;

/// <summary>Offsets [Start, End) of one partition to replay.</summary>
public sealed record PartitionRange(TopicPartition Partition, long Start, long End)
{
    public long Count => Math.Max(0, End - Start);
}
