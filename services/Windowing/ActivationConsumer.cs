using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Messaging;
using Streaming.Windowing.Publishing;
using Streaming.WindowStore;

namespace Streaming.Windowing;

/// <summary>
/// Appends each activation event to its (model, stream) window in Redis, and to its model's
/// model-wide window (WindowStore:ModelWide, on by default). The append is
/// idempotent by event id, so the replay after a crash (at-least-once) neither loses nor
/// double-counts an event; windows it completes land in the Redis outbox for <see cref="WindowOutboxPublisher"/>.
/// A backlog (up to Windowing:MaxBatch events already fetched) is appended in pipelined chunks,
/// one atomic script run per model a chunk touches (<see cref="WindowAppendPipeline"/>); its
/// offsets are stored only after every run of the batch succeeded.
/// </summary>
public sealed class ActivationConsumer(
    RedisWindowWriter store,
    WindowOutboxPublisher publisher,
    IOptions<WindowingOptions> options,
    IOptions<KafkaOptions> kafka,
    DeadLetterPublisher deadLetters,
    MessagingMetrics messagingMetrics,
    TimeProvider timeProvider,
    ILogger<ActivationConsumer> logger)
    : KafkaConsumerService(kafka, deadLetters, messagingMetrics, timeProvider, logger)
{
    protected override string Topic => options.Value.InputTopic;

    protected override string GroupId => options.Value.GroupId;

    protected override string ServiceName => "windowing";

    protected override int MaxBatchSize => options.Value.MaxBatch;

    protected override async Task HandleAsync(ConsumeResult<byte[], byte[]> result, CancellationToken cancellationToken)
    {
        // Every rule of the contract (ids, timestamps, attributes, layers, finite bounded values).
        var activation = ProtobufEvents.ParseActivation(result.Message.Value);
        var appended = await store.AppendAsync(activation, cancellationToken);
        if (appended.WindowsCreated > 0)
            publisher.Signal();
    }

    /// <remarks>
    /// Every event is parsed and checked before anything is sent, so a malformed one throws here
    /// with nothing written; the base class then handles each message of the batch alone, which
    /// dead-letters that one and appends the others. The events then go to Redis in chunks of
    /// Windowing:AppendChunk, each prepared while Redis runs the one before (<see cref="WindowAppendPipeline"/>).
    /// A Redis failure part-way throws too: the messages are then appended one by one (retried
    /// through the outage), and those the batch had already applied are found as duplicates, so
    /// none is lost or counted twice.
    /// </remarks>
    protected override async Task HandleBatchAsync(IReadOnlyList<ConsumeResult<byte[], byte[]>> batch, CancellationToken cancellationToken)
    {
        var activations = new ActivationEvent[batch.Count];
        for (var i = 0; i < batch.Count; i++)
            activations[i] = ProtobufEvents.ParseActivation(batch[i].Message.Value);

        await using var appends = store.CreatePipeline(options.Value.AppendChunk);
        for (var i = 0; i < batch.Count; i++)
        {
            // Each event under its own consume activity, as alone: a window it completes is published in its trace.
            using var activity = TraceContext.StartConsume(Topic, batch[i].Message.Headers);
            await appends.AddAsync(activations[i], cancellationToken);
        }

        var appended = await appends.CompleteAsync(cancellationToken);
        if (appended.Any(a => a.WindowsCreated > 0))
            publisher.Signal();
    }
}
