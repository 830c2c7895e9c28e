using Confluent.Kafka;

namespace Streaming.Control.Replay;

/// <summary>
/// Turns a replay range (timestamps or offsets) into per-partition offsets. Timestamps resolve
/// through OffsetsForTimes; where the broker's answer cannot be right (librdkafka's mock cluster
/// always answers the end offset), a binary search on message timestamps takes over. The search
/// assumes timestamps do not decrease within a partition, which holds for LogAppendTime and for
/// CreateTime with one producer per key (how this pipeline publishes).
/// </summary>
public sealed class TopicRangeResolver(IConsumer<byte[], byte[]> consumer, TimeSpan timeout)
{
    /// <summary>Partitions whose timestamp lookups fell back to the binary search.</summary>
    public int FallbackCount { get; private set; }

    public IReadOnlyList<PartitionRange> Resolve(string topic, int partitions, ReplayBoundary? from, ReplayBoundary? to)
    {
        var ranges = new List<PartitionRange>(partitions);
        for (var p = 0; p < partitions; p++)
        {
            var partition = new TopicPartition(topic, p);
            var watermarks = consumer.QueryWatermarkOffsets(partition, timeout);
            var low = watermarks.Low.Value;
            var high = watermarks.High.Value;
            var start = Clamp(from is null ? low : OffsetOf(partition, from, low, high), low, high);
            var end = Clamp(to is null ? high : OffsetOf(partition, to, low, high), low, high);
            ranges.Add(new PartitionRange(partition, start, Math.Max(start, end)));
        }

        return ranges;
    }

    private long OffsetOf(TopicPartition partition, ReplayBoundary boundary, long low, long high)
    {
        if (boundary.Offset is { } offset) return offset;
        var timestamp = boundary.Timestamp!.Value;
        if (low >= high) return low;

        var answer = consumer.OffsetsForTimes([new TopicPartitionTimestamp(partition, new Timestamp(timestamp))], timeout)[0].Offset.Value;
        if (Plausible(partition, answer, timestamp, low, high)) return answer < 0 ? high : answer;
        FallbackCount++;
        return BinarySearch(partition, timestamp, low, high);
    }

    /// <summary>The first offset at or after the timestamp: the message before it must be older.</summary>
    private bool Plausible(TopicPartition partition, long answer, DateTimeOffset timestamp, long low, long high)
    {
        if (answer < 0 || answer >= high)
        {
            // "No message at or after the timestamp": true only if the newest message is older.
            return TimestampAt(partition, high - 1) < timestamp;
        }

        return answer == low || TimestampAt(partition, answer - 1) < timestamp;
    }

    private long BinarySearch(TopicPartition partition, DateTimeOffset timestamp, long low, long high)
    {
        var lo = low;
        var hi = high;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (TimestampAt(partition, mid) < timestamp) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    private DateTimeOffset TimestampAt(TopicPartition partition, long offset)
    {
        consumer.Assign(new TopicPartitionOffset(partition, new Offset(offset)));
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is not null && !result.IsPartitionEOF)
                return result.Message.Timestamp.UtcDateTime;
        }

        throw new TimeoutException($"Could not read {partition.Topic}[{partition.Partition.Value}]@{offset} within {timeout.TotalSeconds:0} s.");
    }

    private static long Clamp(long value, long low, long high) => Math.Min(Math.Max(value, low), high);
}
