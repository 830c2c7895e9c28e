using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Messaging;
using Streaming.Windowing.Publishing;
using Streaming.Windows;

namespace Streaming.Windowing;

/// <summary>
/// Appends each activation event to its (model, stream) window in Redis, and to its model's
/// model-wide window (Windows:ModelWide, on by default). The append is
/// idempotent by event id, so the replay after a crash (at-least-once) neither loses nor
/// double-counts an event; windows it completes land in the Redis outbox for <see cref="WindowOutboxPublisher"/>.
/// </summary>
public sealed class ActivationConsumer(
    RedisWindowWriter store,
    WindowOutboxPublisher publisher,
    IOptions<WindowingOptions> options,
    IOptions<KafkaOptions> kafka,
    DeadLetterPublisher deadLetters,
    TimeProvider timeProvider,
    ILogger<ActivationConsumer> logger)
    : KafkaConsumerService(kafka, deadLetters, timeProvider, logger)
{
    protected override string Topic => options.Value.InputTopic;

    protected override string GroupId => options.Value.GroupId;

    protected override string ServiceName => "windowing";

    protected override async Task HandleAsync(ConsumeResult<byte[], byte[]> result, CancellationToken cancellationToken)
    {
        // Every rule of the contract (ids, timestamps, attributes, layers, finite bounded values).
        var activation = ProtobufEvents.ParseActivation(result.Message.Value);
        var appended = await store.AppendAsync(activation, cancellationToken);
        if (appended.WindowsCreated > 0)
            publisher.Signal();
    }
}
