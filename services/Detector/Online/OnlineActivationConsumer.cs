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
/// window events, no Redis), and an alarm is published to the alerts topic before the event's
/// offset is stored. One consume loop, so each stream's state is touched by one thread in order.
/// The state is in memory: after a restart or a partition move a stream starts again from the clean
/// initial window, as after an alarm (a false alarm is then as likely as at any other start).
/// Streams idle for longer than an hour are dropped, so the state stays bounded.
/// </summary>
public sealed partial class OnlineActivationConsumer(
    OnlineDetectorRunner runner,
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
    private static readonly TimeSpan IdleStream = TimeSpan.FromHours(1);

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
        var stream = Stream(header.StreamId, now);
        Detection.Online.OnlineStepResult step;
        try
        {
            step = stream.Detector.Add(vectors);
        }
        catch (ArgumentException ex)
        {
            throw new MalformedMessageException($"Event {header.EventId} of stream {header.StreamId} cannot be tested online: {ex.Message}", ex);
        }

        stream.Record(header.EventId);
        metrics.RecordOnlineEvent();
        if (!step.Alarm) return;

        var alert = DetectionMessages.OnlineAlert(activation, step, stream.RankByWitness(step.WitnessScores), model, options.Value.TopK, now, messageMetrics);
        stream.Restart();
        await producer.ProduceAsync(options.Value.AlertsTopic,
            new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(header.StreamId), Value = alert.ToByteArray() }, cancellationToken);
        metrics.RecordOnlineAlarm();
        LogAlarm(header.StreamId, header.EventId, step.Step, string.Join(',', alert.RejectedLayers));
    }

    private OnlineStream Stream(string streamId, DateTimeOffset now)
    {
        if (now >= _nextSweep)
        {
            foreach (var (id, idle) in _streams.Where(s => now - s.Value.LastSeen > IdleStream).ToList())
                _streams.Remove(id);
            _nextSweep = now + TimeSpan.FromMinutes(1);
        }

        if (!_streams.TryGetValue(streamId, out var stream))
        {
            stream = new OnlineStream(runner.Model.CreateDetector(), runner.Model.Options.WindowSize);
            _streams[streamId] = stream;
        }

        stream.LastSeen = now;
        return stream;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Online alarm on stream {StreamId} at event {EventId} after {RunLength} events; layers above threshold: {Layers}")]
    private partial void LogAlarm(string streamId, string eventId, long runLength, string layers);
}
