using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Contracts.Validation;
using Streaming.Inference.Api;
using Streaming.Messaging;
using Streaming.Ml.Serving;

namespace Streaming.Inference;

/// <summary>
/// Turns a request into activation events and publishes them. Everything a request will publish is
/// built and checked first (<see cref="BuildPredicted"/>); <see cref="PublishAsync"/> then queues all
/// of it and waits for Kafka's delivery reports, so a request is either refused with nothing
/// published, or answered once every event was taken (a broker that does not confirm in time is a 503).
/// </summary>
public sealed partial class ActivationPublisher(
    KafkaProducerHandle producer,
    ModelHost model,
    InferenceMetrics metrics,
    IOptions<InferenceOptions> options,
    ILogger<ActivationPublisher> logger)
{
    /// <summary>One event per model output, with its Kafka message; throws only on a programming error.</summary>
    public (IReadOnlyList<Prediction> Predictions, IReadOnlyList<Message<byte[], byte[]>> Messages) BuildPredicted(
        string streamId,
        IReadOnlyList<InputActivations> outputs,
        IReadOnlyDictionary<string, string>? attributes,
        DateTimeOffset receivedAt,
        IReadOnlyList<IReadOnlyDictionary<string, string>?>? imageAttributes = null)
    {
        if (imageAttributes is not null && imageAttributes.Count != outputs.Count)
            throw new ArgumentException($"imageAttributes has {imageAttributes.Count} entries for {outputs.Count} images.", nameof(imageAttributes));

        var key = Encoding.UTF8.GetBytes(streamId);
        var timestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(receivedAt);
        var predictions = new Prediction[outputs.Count];
        var messages = new Message<byte[], byte[]>[outputs.Count];
        for (var i = 0; i < outputs.Count; i++)
        {
            var output = outputs[i];
            var activation = new ActivationEvent
            {
                Header = new EventHeader
                {
                    SchemaVersion = SchemaVersions.Current,
                    EventId = Guid.NewGuid().ToString("N"),
                    Model = model.Manifest.Name,
                    ModelVersion = model.Manifest.Version,
                    StreamId = streamId,
                    Timestamp = timestamp,
                },
                PredictedClass = output.PredictedClass,
                Confidence = output.Confidence,
            };
            foreach (var (layer, values) in output.Layers)
            {
                var layerActivation = new LayerActivation { Layer = layer };
                layerActivation.Values.AddRange(values);
                activation.Layers.Add(layerActivation);
            }

            if (attributes is not null)
            {
                foreach (var (name, value) in attributes)
                    activation.Attributes[name] = value;
            }

            // Per-image attributes come second, so they override request-wide ones of the same name.
            if (imageAttributes?[i] is { } own)
            {
                foreach (var (name, value) in own)
                    activation.Attributes[name] = value;
            }

            // What we built must pass the rules every consumer applies (a model that emits NaN, say):
            // better a 500 naming it than events the pipeline dead-letters one by one.
            var violations = EventRules.CheckActivation(activation, receivedAt);
            if (violations.Count > 0)
                throw new InvalidOperationException($"The model produced an event that breaks the event rules: {violations.Describe()}");

            messages[i] = new Message<byte[], byte[]> { Key = key, Value = activation.ToByteArray() };
            predictions[i] = new Prediction(activation.Header.EventId, output.PredictedClass, output.Confidence);
        }

        return (predictions, messages);
    }

    /// <summary>The message of an event computed elsewhere (already validated), as <paramref name="bytes"/>, keyed by its stream id.</summary>
    public static Message<byte[], byte[]> Ingested(ActivationEvent activation, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentNullException.ThrowIfNull(bytes);
        return new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(activation.Header.StreamId), Value = bytes };
    }

    /// <summary>Queues every message and waits until Kafka confirmed them all, or says why not.</summary>
    public async Task<PublishOutcome> PublishAsync(IReadOnlyList<Message<byte[], byte[]>> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var settings = options.Value;
        var delivery = new BatchDelivery(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                producer.Produce(settings.Topic, messages[i], delivery.OnDelivered);
            }
            catch (KafkaException ex)
            {
                // Queue full or the producer is failing: what was queued may still arrive (valid events, unique ids).
                delivery.NotQueued(messages.Count - i);
                metrics.RecordPublishFailures(messages.Count - i);
                LogNotQueued(ex.Error.Code, ex.Error.Reason, i, messages.Count);
                return new PublishOutcome(i, messages.Count, $"Kafka refused event {i + 1} of {messages.Count}: {ex.Error.Reason}");
            }
        }

        try
        {
            await delivery.Completed.WaitAsync(settings.PublishTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogUnconfirmed(messages.Count, settings.PublishTimeout.TotalSeconds);
            return new PublishOutcome(messages.Count - delivery.Failures, messages.Count, $"Kafka did not confirm the events within {settings.PublishTimeout.TotalSeconds:0.#} s.");
        }

        if (delivery.Failures > 0)
        {
            metrics.RecordPublishFailures(delivery.Failures);
            LogDeliveryFailed(delivery.Failures, messages.Count, delivery.FirstError ?? "");
            return new PublishOutcome(messages.Count - delivery.Failures, messages.Count, $"{delivery.Failures} of {messages.Count} events were not delivered: {delivery.FirstError}");
        }

        return new PublishOutcome(messages.Count, messages.Count, null);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Failed} of {Total} activation events were not delivered: {Reason}")]
    private partial void LogDeliveryFailed(int failed, int total, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka refused an activation event ({Code} {Reason}) after {Queued} of {Total} were queued")]
    private partial void LogNotQueued(ErrorCode code, string reason, int queued, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Total} activation events were not confirmed within {Seconds} s")]
    private partial void LogUnconfirmed(int total, double seconds);
}
