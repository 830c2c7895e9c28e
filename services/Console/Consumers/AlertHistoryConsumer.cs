using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Console.Diagnostics;
using Streaming.Console.History;
using Streaming.Console.Options;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.Console.Consumers;

/// <summary>Records every alert in the history; a redelivery is recognised by its alert id.</summary>
public sealed class AlertHistoryConsumer(
    IOptions<ConsoleOptions> options,
    IOptions<KafkaOptions> kafka,
    HistoryWriter writer,
    ConsoleMetrics metrics,
    DeadLetterPublisher deadLetters,
    MessagingMetrics messagingMetrics,
    TimeProvider timeProvider,
    ILogger<AlertHistoryConsumer> logger)
    : HistoryConsumer<Alert>(options, kafka, writer, metrics, deadLetters, messagingMetrics, timeProvider, logger)
{
    public const string Service = "console-alerts";

    protected override string Topic => Options.AlertsTopic;

    protected override string GroupId => Options.GroupId + ".alerts";

    protected override string ServiceName => Service;

    protected override string Kind => "alert";

    protected override Alert Parse(byte[] value) => ProtobufEvents.Parse(Alert.Parser, value, a => a.Header);

    protected override Task<bool> RecordAsync(HistoryWriter writer, Alert message) => writer.RecordAsync(message);
}
