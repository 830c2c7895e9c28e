using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Console.Diagnostics;
using Streaming.Console.History;
using Streaming.Console.Options;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.Console.Consumers;

/// <summary>
/// Records every detection (a tested window) in the history and publishes it to the browsers
/// watching its stream; a redelivery is recognised by its window id.
/// </summary>
public sealed class DetectionHistoryConsumer(
    IOptions<ConsoleOptions> options,
    IOptions<KafkaOptions> kafka,
    HistoryWriter writer,
    ConsoleMetrics metrics,
    DeadLetterPublisher deadLetters,
    MessagingMetrics messagingMetrics,
    TimeProvider timeProvider,
    ILogger<DetectionHistoryConsumer> logger)
    : HistoryConsumer<DetectionResult>(options, kafka, writer, metrics, deadLetters, messagingMetrics, timeProvider, logger)
{
    public const string Service = "console-detections";

    protected override string Topic => Options.DetectionsTopic;

    protected override string GroupId => Options.GroupId + ".detections";

    protected override string ServiceName => Service;

    protected override string Kind => "detection";

    protected override DetectionResult Parse(byte[] value) => ProtobufEvents.Parse(DetectionResult.Parser, value, d => d.Header);

    protected override Task<bool> RecordAsync(HistoryWriter writer, DetectionResult message) => writer.RecordAsync(message);
}
