using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Detection.WindowTest;
using Streaming.Messaging;

namespace Streaming.Detector.Online;

/// <summary>
/// The online mode: every activation event updates its stream's sequential detector at once (no
/// window events), and an alarm is published to the alerts topic before the event's offset is
/// stored. One consume loop, so each stream's state is touched by one thread in order. With
/// Detector:Online:State = Redis (default) each event's update is stored before its offset, so the
/// next owner of the partition (after a move or a restart) continues the stream where it was and
/// skips events the state already holds; with Memory a stream starts again from the clean initial
/// window. Streams idle for longer than Detector:Online:StateTtl are dropped, so the state stays bounded.
/// </summary>
internal sealed partial class OnlineActivationConsumer(
    OnlineDetectorRunner runner,
    IOnlineStreamStore store,
    KafkaProducerHandle producer,
    IOptions<DetectorOptions> options,
    IOptions<KafkaOptions> kafka,
    DeadLetterPublisher deadLetters,
    MessagingMetrics messagingMetrics,
    DetectorMetrics metrics,
    DetectionMessageMetrics messageMetrics,
    TimeProvider timeProvider,
    ILogger<OnlineActivationConsumer> logger)
    : KafkaConsumerService(kafka, deadLetters, messagingMetrics, timeProvider, logger)
{
    private readonly Dictionary<string, OnlineStream> _streams = new(StringComparer.Ordinal);
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    protected override string Topic => options.Value.Online.InputTopic;

    protected override string GroupId => options.Value.Online.GroupId;

    protected override string ServiceName => "detector-online";

    protected override async Task HandleAsync(ConsumeResult<byte[], byte[]> result, CancellationToken cancellationToken)
    {
        var activation = ProtobufEvents.ParseActivation(result.Message.Value);
        var model = runner.Model;
        var header = activation.Header;
        if (!string.Equals(header.Model, model.Model, StringComparison.Ordinal))
        {
            // The topic carries every model's traffic; this detector's reference is for one of them.
            metrics.RecordOnlineSkipped();
            return;
        }

        var vectors = new Dictionary<string, float[]>(activation.Layers.Count, StringComparer.Ordinal);
        foreach (var layer in activation.Layers)
            vectors[layer.Layer] = [.. layer.Values];

        var now = TimeProvider.GetUtcNow();
        var stream = await StreamAsync(header.StreamId, now, cancellationToken).ConfigureAwait(false);
        int partition = result.Partition.Value;
        long offset = result.Offset.Value;
        if (stream.HasApplied(partition, offset))
        {
            // Delivered again after a restart or a partition move: the stored state already holds it.
            LogAlreadyApplied(header.StreamId, header.EventId, partition, offset);
            metrics.RecordOnlineReplayed();
            return;
        }

        Detection.Online.OnlineStepResult step;
        try
        {
            step = stream.Detector.Add(vectors);
        }
        catch (ArgumentException ex)
        {
            throw new MalformedMessageException($"Event {header.EventId} of stream {header.StreamId} cannot be tested online: {ex.Message}", ex);
        }

        try
        {
            stream.Record(header.EventId, partition, offset);
            metrics.RecordOnlineEvent();
            if (step.Alarm)
            {
                var alert = DetectionMessages.OnlineAlert(activation, step, stream.RankByWitness(step.WitnessScores), model, options.Value.TopK, now, messageMetrics);
                stream.Restart();
                await producer.ProduceAsync(options.Value.AlertsTopic,
                    new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(header.StreamId), Value = alert.ToByteArray() }, cancellationToken).ConfigureAwait(false);
                metrics.RecordOnlineAlarm();
                LogAlarm(header.StreamId, header.EventId, step.Step, string.Join(',', alert.RejectedLayers));
            }

            var entry = step.Alarm ? null : OnlineStateCodec.Encode(model, header.EventId, vectors);
            await store.SaveAsync(model, header.StreamId, stream.Detector.Step, entry, step.Alarm, partition, offset, cancellationToken).ConfigureAwait(false);
        }
        catch when (store.Persists)
        {
            // The event changed the state in memory but not in the store: forget the stream, so the
            // retry starts again from the stored state and applies the event once (an alarm is raised
            // again, with the same alert id).
            _streams.Remove(header.StreamId);
            throw;
        }
    }

    protected override void OnPartitionsRevoked(IReadOnlyList<TopicPartition> partitions)
    {
        // Their next owner moves the stored state on; ours would be stale if they came back.
        if (store.Persists) _streams.Clear();
    }

    private async Task<OnlineStream> StreamAsync(string streamId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var idle = options.Value.Online.StateTtl;
        if (now >= _nextSweep)
        {
            foreach (var (id, _) in _streams.Where(s => now - s.Value.LastSeen > idle).ToList())
                _streams.Remove(id);
            _nextSweep = now + TimeSpan.FromMinutes(1);
        }

        if (!_streams.TryGetValue(streamId, out var stream))
        {
            var model = runner.Model;
            var stored = await store.LoadAsync(model, streamId, cancellationToken).ConfigureAwait(false);
            stream = stored is null
                ? new OnlineStream(model.CreateDetector(), model.Options.WindowSize)
                : OnlineStream.Restore(model, stored);
            if (stored is not null) LogRestored(streamId, stored.Step, stored.Window.Count, stored.Partition, stored.Offset);
            _streams[streamId] = stream;
        }

        stream.LastSeen = now;
        return stream;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Online alarm on stream {StreamId} at event {EventId} after {RunLength} events; layers above threshold: {Layers}")]
    private partial void LogAlarm(string streamId, string eventId, long runLength, string layers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Online stream {StreamId} continues from its stored state: step {Step}, {Events} window events, last applied {Partition}@{Offset}")]
    private partial void LogRestored(string streamId, long step, int events, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventId} of online stream {StreamId} at {Partition}@{Offset} is already in the stored state; skipped")]
    private partial void LogAlreadyApplied(string streamId, string eventId, int partition, long offset);
}
