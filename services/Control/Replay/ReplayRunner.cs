using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Contracts;
using Streaming.Detector;
using Streaming.Messaging;

namespace Streaming.Control.Replay;

/// <summary>
/// Re-runs windowing and detection over a historical range of the activations topic with its own
/// consumer (assigned partitions, nothing committed), so the live pipeline is not disturbed. A
/// different reference, significance or window size answers "would this configuration have caught
/// last Tuesday's attack?".
/// </summary>
public sealed class ReplayRunner(ReplayOptions options)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Events in the resolved range, known before replaying (for progress bars).</summary>
    public long TotalEvents { get; private set; }

    public ReplayReport Run(IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var kafka = new KafkaOptions { BootstrapServers = options.BootstrapServers };
        var config = KafkaClientConfigs.Consumer(kafka, "replay", "replay-" + Guid.NewGuid().ToString("N"));
        config.EnableAutoCommit = false;
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        var partitions = PartitionCount(kafka);
        var resolver = new TopicRangeResolver(consumer, Timeout);
        var ranges = resolver.Resolve(options.Topic, partitions, options.From, options.To).Where(r => r.Count > 0).ToList();
        TotalEvents = ranges.Sum(r => r.Count);
        if (TotalEvents == 0)
            return new ReplayReport(0, 0, 0, 0, 0, null, null, resolver.FallbackCount, []);

        var detectorOptions = new DetectorOptions
        {
            ReferencePath = options.ReferencePath,
            Alpha = options.Alpha,
            Permutations = options.Permutations,
            Seed = options.Seed,
            Device = "auto",
        };
        using var runner = new WindowTestRunner(Microsoft.Extensions.Options.Options.Create(detectorOptions), NullLogger<WindowTestRunner>.Instance);
        using var output = options.OutputTopic is null ? null : new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(kafka, "replay")).Build();
        var windows = new CountWindowBuilder(options.WindowSize, options.WindowSlide);
        var results = new List<ReplayWindow>();
        long events = 0;

        consumer.Assign(ranges.Select(r => new TopicPartitionOffset(r.Partition, new Offset(r.Start))));
        var remaining = ranges.ToDictionary(r => r.Partition.Partition.Value, r => r);
        while (remaining.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = consumer.Consume(Timeout) ?? throw new TimeoutException($"No message from {options.Topic} within {Timeout.TotalSeconds:0} s; {remaining.Count} partition(s) unfinished.");
            if (result.IsPartitionEOF) continue;
            var partition = result.Partition.Value;
            if (!remaining.TryGetValue(partition, out var range)) continue;
            if (result.Offset.Value >= range.End - 1)
            {
                remaining.Remove(partition);
                consumer.Pause([range.Partition]);
            }

            if (result.Offset.Value >= range.End) continue;
            events++;
            progress?.Report(events);
            ActivationEvent activation;
            try
            {
                activation = ProtobufEvents.Parse(ActivationEvent.Parser, result.Message.Value, e => e.Header);
            }
            catch (MalformedMessageException)
            {
                continue; // the live service dead-lettered it too
            }

            if (options.Model is not null && activation.Header.Model != options.Model) continue;
            if (options.Stream is not null && activation.Header.StreamId != options.Stream) continue;
            var window = windows.Add(activation, out var sequence);
            if (window is null) continue;
            results.Add(Test(runner, detectorOptions, activation, window, sequence, output));
        }

        output?.Flush(Timeout);
        var attacked = results.Where(r => r.AttackShare > 0).ToList();
        var clean = results.Where(r => r.AttackShare == 0).ToList();
        return new ReplayReport(
            events,
            results.Count,
            results.Count(r => r.Alert),
            attacked.Count,
            clean.Count,
            attacked.Count == 0 ? null : attacked.Count(r => r.Alert) / (double)attacked.Count,
            clean.Count == 0 ? null : clean.Count(r => r.Alert) / (double)clean.Count,
            resolver.FallbackCount,
            results);
    }

    private ReplayWindow Test(WindowTestRunner runner, DetectorOptions detectorOptions, ActivationEvent last, IReadOnlyList<ActivationEvent> events, long sequence, IProducer<byte[], byte[]>? output)
    {
        var header = last.Header;
        var windowId = $"{header.Model}/{header.StreamId}/{sequence}";
        var ready = new WindowReady
        {
            Header = new EventHeader
            {
                SchemaVersion = SchemaVersions.Current,
                EventId = "replay:" + windowId,
                Model = header.Model,
                ModelVersion = header.ModelVersion,
                StreamId = header.StreamId,
                Timestamp = header.Timestamp,
            },
            WindowId = windowId,
            Sequence = (ulong)sequence,
            Size = (uint)events.Count,
            Trigger = "replay",
            FirstEventTimestamp = events[0].Header.Timestamp,
            LastEventTimestamp = header.Timestamp,
        };
        var outcome = runner.Test(ready, events);
        var detection = DetectionMessages.Detection(ready, events, outcome, detectorOptions, DateTimeOffset.UtcNow);
        output?.Produce(options.OutputTopic, new Message<byte[], byte[]> { Key = System.Text.Encoding.UTF8.GetBytes(header.StreamId), Value = detection.ToByteArray() });
        return new ReplayWindow(
            windowId,
            header.StreamId,
            sequence,
            header.Timestamp.ToDateTimeOffset(),
            outcome.CombinedPValue,
            outcome.Alert,
            detection.AttackShare,
            outcome.Layers.ToDictionary(l => l.Layer, l => l.PValue));
    }

    private int PartitionCount(KafkaOptions kafka)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).SetLogHandler((_, _) => { }).Build();
        // Metadata of all topics: asking for one topic by name makes some brokers (the mock among them) create it.
        var topic = admin.GetMetadata(Timeout).Topics.SingleOrDefault(t => t.Topic == options.Topic);
        if (topic is null || topic.Error.IsError || topic.Partitions.Count == 0)
            throw new InvalidOperationException($"Topic '{options.Topic}' does not exist on {kafka.BootstrapServers}.");
        return topic.Partitions.Count;
    }
}
