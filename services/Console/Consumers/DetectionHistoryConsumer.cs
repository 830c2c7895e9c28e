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
/// Records every detection (a tested window) in the history, in the console's own consumer group,
/// and publishes it to the browsers watching its stream. The offset is stored once Redis took it;
/// a redelivery after a crash is recognised by its window id and skipped.
/// </summary>
public sealed class DetectionHistoryConsumer : KafkaConsumerService
{
    public const string Service = "console-detections";

    private readonly ConsoleOptions _options;
    private readonly HistoryWriter _writer;
    private readonly ConsoleMetrics _metrics;
    private readonly ILogger<DetectionHistoryConsumer> _logger;

    public DetectionHistoryConsumer(
        IOptions<ConsoleOptions> options,
        IOptions<KafkaOptions> kafka,
        HistoryWriter writer,
        ConsoleMetrics metrics,
        DeadLetterPublisher deadLetters,
        MessagingMetrics messagingMetrics,
        TimeProvider timeProvider,
        ILogger<DetectionHistoryConsumer> logger)
        : base(kafka, deadLetters, messagingMetrics, timeProvider, logger)
    {
        _options = options.Value;
        _writer = writer;
        _metrics = metrics;
        _logger = logger;
    }

    protected override string Topic => _options.DetectionsTopic;

    protected override string GroupId => _options.GroupId + ".detections";

    protected override string ServiceName => Service;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        ConsoleLog.Consuming(_logger, Topic, GroupId, _options.KeyPrefix, _options.HistoryTtl);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task HandleAsync(ConsumeResult<byte[], byte[]> result, CancellationToken cancellationToken)
    {
        var detection = ProtobufEvents.Parse(DetectionResult.Parser, result.Message.Value, d => d.Header);
        _metrics.Recorded("detection", await _writer.RecordAsync(detection).ConfigureAwait(false));
    }
}
