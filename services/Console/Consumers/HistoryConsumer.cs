using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Console.Diagnostics;
using Streaming.Console.History;
using Streaming.Console.Options;
using Streaming.Messaging;

namespace Streaming.Console.Consumers;

/// <summary>
/// Records every message of one topic in the history, in the console's own consumer group. The
/// offset is stored once Redis took it; a redelivery after a crash is recognised by its id (window
/// or alert) and skipped. A message that does not parse is dead-lettered by the base loop.
/// </summary>
public abstract class HistoryConsumer<TMessage>(
    IOptions<ConsoleOptions> options,
    IOptions<KafkaOptions> kafka,
    HistoryWriter writer,
    ConsoleMetrics metrics,
    DeadLetterPublisher deadLetters,
    MessagingMetrics messagingMetrics,
    TimeProvider timeProvider,
    ILogger logger)
    : KafkaConsumerService(kafka, deadLetters, messagingMetrics, timeProvider, logger)
    where TMessage : IMessage<TMessage>
{
    private readonly ILogger _logger = logger;

    protected ConsoleOptions Options { get; } = options.Value;

    /// <summary>The kind in the metric's label ("detection", "alert").</summary>
    protected abstract string Kind { get; }

    protected abstract TMessage Parse(byte[] value);

    /// <summary>Records <paramref name="message"/>; false when it was already there (a redelivery).</summary>
    protected abstract Task<bool> RecordAsync(HistoryWriter writer, TMessage message);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        ConsoleLog.Consuming(_logger, Topic, GroupId, Options.KeyPrefix, Options.HistoryTtl);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task HandleAsync(ConsumeResult<byte[], byte[]> result, CancellationToken cancellationToken)
    {
        var message = Parse(result.Message.Value);
        metrics.Recorded(Kind, await RecordAsync(writer, message).ConfigureAwait(false));
    }
}
