using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Inference.Api;
using Streaming.Messaging;
using Streaming.Ml;

namespace Streaming.Inference;

/// <summary>
/// Publishes one activation event per input without making the HTTP response wait for Kafka:
/// Produce() only queues; the delivery report counts failures.
/// </summary>
public sealed partial class ActivationPublisher(
    KafkaProducerHandle producer,
    ModelHost model,
    IOptions<InferenceOptions> options,
    ILogger<ActivationPublisher> logger)
{
    public IReadOnlyList<Prediction> Publish(
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

            producer.Produce(options.Value.Topic, new Message<byte[], byte[]> { Key = key, Value = activation.ToByteArray() }, OnDelivered);
            predictions[i] = new Prediction(activation.Header.EventId, output.PredictedClass, output.Confidence);
        }

        InferenceMetrics.Images.Add(outputs.Count);
        return predictions;
    }

    /// <summary>Queues an event computed elsewhere (already validated) as <paramref name="bytes"/>, keyed by its stream id.</summary>
    public void PublishIngested(ActivationEvent activation, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentNullException.ThrowIfNull(bytes);
        var key = Encoding.UTF8.GetBytes(activation.Header.StreamId);
        producer.Produce(options.Value.Topic, new Message<byte[], byte[]> { Key = key, Value = bytes }, OnDelivered);
        InferenceMetrics.IngestedEvents.Add(1);
    }

    private void OnDelivered(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            InferenceMetrics.PublishFailures.Add(1);
            LogDeliveryFailed(report.Error.Code, report.Error.Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Activation event was not delivered: {Code} {Reason}")]
    private partial void LogDeliveryFailed(ErrorCode code, string reason);
}
