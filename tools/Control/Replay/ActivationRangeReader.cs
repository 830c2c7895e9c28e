using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.Control.Replay;

/// <summary>
/// Reads the activation events of a historical range (assigned partitions, its own group id,
/// nothing committed), optionally of one model and stream. Shared by replay and by calibration
/// from a clean range of the topic.
/// </summary>
public sealed class ActivationRangeReader(string bootstrapServers, string topic, ReplayBoundary? from, ReplayBoundary? to, string? model = null, string? stream = null) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly IConsumer<byte[], byte[]> _consumer = CreateConsumer(bootstrapServers);
    private IReadOnlyList<PartitionRange>? _ranges;

    /// <summary>Messages in the resolved range (before filtering by model and stream).</summary>
    public long TotalEvents => Ranges.Sum(r => r.Count);

    /// <summary>Partitions whose timestamp lookups needed the binary-search fallback.</summary>
    public int TimestampFallbacks { get; private set; }

    private IReadOnlyList<PartitionRange> Ranges => _ranges ??= Resolve();

    /// <summary>Events in partition order; <paramref name="progress"/> counts messages read.</summary>
    public IEnumerable<ActivationEvent> Read(IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var ranges = Ranges.Where(r => r.Count > 0).ToList();
        if (ranges.Count == 0) yield break;
        _consumer.Assign(ranges.Select(r => new TopicPartitionOffset(r.Partition, new Offset(r.Start))));
        var remaining = ranges.ToDictionary(r => r.Partition.Partition.Value, r => r);
        long read = 0;
        while (remaining.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = _consumer.Consume(Timeout) ?? throw new TimeoutException($"No message from {topic} within {Timeout.TotalSeconds:0} s; {remaining.Count} partition(s) unfinished.");
            if (result.IsPartitionEOF || !remaining.TryGetValue(result.Partition.Value, out var range)) continue;
            if (result.Offset.Value >= range.End - 1)
            {
                remaining.Remove(result.Partition.Value);
                _consumer.Pause([range.Partition]);
            }

            if (result.Offset.Value >= range.End) continue;
            progress?.Report(++read);
            ActivationEvent activation;
            try
            {
                activation = ProtobufEvents.Parse(ActivationEvent.Parser, result.Message.Value, e => e.Header);
            }
            catch (MalformedMessageException)
            {
                continue; // the live service dead-lettered it too
            }

            if (model is not null && activation.Header.Model != model) continue;
            if (stream is not null && activation.Header.StreamId != stream) continue;
            yield return activation;
        }
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }

    private IReadOnlyList<PartitionRange> Resolve()
    {
        var resolver = new TopicRangeResolver(_consumer, Timeout);
        var ranges = resolver.Resolve(topic, PartitionCount(), from, to);
        TimestampFallbacks = resolver.FallbackCount;
        return ranges;
    }

    private int PartitionCount()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).SetLogHandler((_, _) => { }).Build();
        // Metadata of all topics: asking for one topic by name makes some brokers (the mock among them) create it.
        var metadata = admin.GetMetadata(Timeout).Topics.SingleOrDefault(t => t.Topic == topic);
        if (metadata is null || metadata.Error.IsError || metadata.Partitions.Count == 0)
            throw new InvalidOperationException($"Topic '{topic}' does not exist on {bootstrapServers}.");
        return metadata.Partitions.Count;
    }

    private static IConsumer<byte[], byte[]> CreateConsumer(string bootstrapServers)
    {
        var config = KafkaClientConfigs.Consumer(new KafkaOptions { BootstrapServers = bootstrapServers }, "replay", "replay-" + Guid.NewGuid().ToString("N"));
        config.EnableAutoCommit = false;
        return new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
    }
}
