using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Console.Diagnostics;
using Streaming.Console.History;
using Streaming.Console.Options;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.Console.Consumers;

/// <summary>
/// Records every alert in the history, in the console's own consumer group. The offset is stored
/// once Redis took it; a redelivery after a crash is recognised by its alert id and skipped.
/// </summary>
public sealed class AlertHistoryConsumer : KafkaConsumerService
{
    public const string Service = "console-alerts";

    private readonly ConsoleOptions _options;
    private readonly HistoryWriter _writer;
    private readonly ConsoleMetrics _metrics;
    private readonly ILogger<AlertHistoryConsumer> _logger;

    public AlertHistoryConsumer(
        IOptions<ConsoleOptions> options,
        IOptions<KafkaOptions> kafka,
        HistoryWriter writer,
        ConsoleMetrics metrics,
        DeadLetterPublisher deadLetters,
        MessagingMetrics messagingMetrics,
        TimeProvider timeProvider,
        ILogger<AlertHistoryConsumer> logger)
        : base(kafka, deadLetters, messagingMetrics, timeProvider, logger)
    {
        _options = options.Value;
        _writer = writer;
        _metrics = metrics;
        _logger = logger;
    }

    protected override string Topic => _options.AlertsTopic;

    protected override string GroupId => _options.GroupId + ".alerts";

    protected override string ServiceName => Service;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        ConsoleLog.Consuming(_logger, Topic, GroupId, _options.KeyPrefix, _options.HistoryTtl);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task HandleAsync(ConsumeResult<byte[], byte[]> result, CancellationToken cancellationToken)
    {
        var alert = ProtobufEvents.Parse(Alert.Parser, result.Message.Value, a => a.Header);
        _metrics.Recorded("alert", await _writer.RecordAsync(alert).ConfigureAwait(false));
    }
}
