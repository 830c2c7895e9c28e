using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Contracts;
using Streaming.Detection.WindowTest;
using Streaming.Messaging;
using Streaming.WindowStore;

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
        using var reader = new ActivationRangeReader(options.BootstrapServers, options.Topic, options.From, options.To, options.Model, options.Stream);
        TotalEvents = reader.TotalEvents;
        if (TotalEvents == 0)
            return new ReplayReport(0, 0, 0, 0, 0, null, null, reader.TimestampFallbacks, []);

        var detectorOptions = new DetectorOptions
        {
            ReferencePath = options.ReferencePath,
            Alpha = options.Alpha,
            Permutations = options.Permutations,
            Seed = options.Seed,
            Device = "auto",
        };
        using var runner = new WindowTestRunner(Microsoft.Extensions.Options.Options.Create(detectorOptions), NullLogger<WindowTestRunner>.Instance);
        var kafka = new KafkaOptions { BootstrapServers = options.BootstrapServers };
        using var output = options.OutputTopic is null ? null : new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(kafka, "replay")).Build();
        var windows = new CountWindowBuilder(options.WindowSize, options.WindowSlide);
        var results = new List<ReplayWindow>();
        foreach (var activation in reader.Read(progress, cancellationToken))
        {
            var window = windows.Add(activation, out var sequence);
            if (window is not null)
                results.Add(Test(runner, detectorOptions, activation, window, sequence, output));
        }

        output?.Flush(Timeout);
        var attacked = results.Where(r => r.AttackShare > 0).ToList();
        var clean = results.Where(r => r.AttackShare == 0).ToList();
        return new ReplayReport(
            TotalEvents,
            results.Count,
            results.Count(r => r.Alert),
            attacked.Count,
            clean.Count,
            attacked.Count == 0 ? null : attacked.Count(r => r.Alert) / (double)attacked.Count,
            clean.Count == 0 ? null : clean.Count(r => r.Alert) / (double)clean.Count,
            reader.TimestampFallbacks,
            results);
    }

    private ReplayWindow Test(WindowTestRunner runner, DetectorOptions detectorOptions, ActivationEvent last, IReadOnlyList<ActivationEvent> events, long sequence, IProducer<byte[], byte[]>? output)
    {
        var header = last.Header;
        // The same content-derived id the windowing service gives the same events.
        var windowId = WindowIds.Of(header.Model, header.StreamId, events.Select(e => e.Header.EventId));
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
        var prepared = runner.Prepare(ready, events);
        var outcome = runner.TestMany([prepared])[0];
        var evidence = runner.Evidence(prepared, outcome);
        var detection = DetectionMessages.Detection(prepared, outcome, detectorOptions, DateTimeOffset.UtcNow, evidence);
        output?.Produce(options.OutputTopic, new Message<byte[], byte[]> { Key = System.Text.Encoding.UTF8.GetBytes(header.StreamId), Value = detection.ToByteArray() });
        return new ReplayWindow(
            windowId,
            header.StreamId,
            sequence,
            header.Timestamp.ToDateTimeOffset(),
            evidence.Decision.CombinedPValue,
            evidence.Decision.Alert,
            detection.AttackShare,
            outcome.Layers.ToDictionary(l => l.Layer, l => l.PValue));
    }
}
