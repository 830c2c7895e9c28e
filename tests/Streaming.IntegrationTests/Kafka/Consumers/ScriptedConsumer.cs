using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.Kafka.Consumers;

/// <summary>A <see cref="KafkaConsumerService"/> whose handler is a <see cref="ConsumerScript"/>, with short retry delays.</summary>
internal sealed class ScriptedConsumer(
    ConsumerScript script,
    IOptions<KafkaOptions> kafka,
    DeadLetterPublisher deadLetters,
    MessagingMetrics messagingMetrics,
    TimeProvider timeProvider,
    ILogger<ScriptedConsumer> logger)
    : KafkaConsumerService(kafka, script.DeadLetters ?? deadLetters, messagingMetrics, timeProvider, logger)
{
    protected override string Topic => script.Topic;

    protected override string GroupId => script.GroupId;

    protected override string ServiceName => "scripted";

    protected override int MaxBatchSize => script.MaxBatchSize;

    protected override int MaxAttempts => script.MaxAttempts;

    protected override TimeSpan RetryBaseDelay => TimeSpan.FromMilliseconds(100);

    protected override TimeSpan MaxRetryDelay => TimeSpan.FromMilliseconds(500);

    protected override async Task HandleAsync(ConsumeResult<byte[], byte[]> result, CancellationToken cancellationToken)
    {
        script.Attempts.AddOrUpdate(System.Text.Encoding.UTF8.GetString(result.Message.Value), 1, (_, n) => n + 1);
        await script.Handle(result);
        script.RecordHandled(result);
    }

    protected override async Task HandleBatchAsync(IReadOnlyList<ConsumeResult<byte[], byte[]>> batch, CancellationToken cancellationToken)
    {
        await script.HandleBatch(batch);
        foreach (var result in batch)
            script.RecordHandled(result);
    }
}
