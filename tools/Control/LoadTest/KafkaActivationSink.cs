using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.Control.LoadTest;

/// <summary>
/// Produces activation events straight to the activations topic, keyed by stream id as the inference
/// service does, with the producer settings the services use; a send completes on Kafka's delivery reports
/// of all its events (<see cref="BatchDelivery"/>).
/// </summary>
public sealed class KafkaActivationSink(KafkaOptions kafka, string topic = Topics.Activations) : IActivationSink
{
    private readonly IProducer<byte[], byte[]> _producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(kafka, "loadtest-events")).Build();

    public Task SendAsync(IReadOnlyList<ActivationEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) return Task.CompletedTask;
        var batch = new BatchDelivery(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(events[i].Header.StreamId), Value = events[i].ToByteArray() };
            try
            {
                _producer.Produce(topic, message, batch.Report);
            }
            catch (KafkaException ex)
            {
                // Refused before queueing (queue full, too large): the rest of the batch is not sent either.
                batch.NotSent(events.Count - i, ex);
                break;
            }
        }

        // The deliveries go on, as a cancelled ProduceAsync's did; only the wait for them ends with the token.
        return batch.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
    }
}
