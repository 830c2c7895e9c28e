using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Streaming.Messaging;

/// <summary>
/// The one long-lived producer of a process. <see cref="Produce"/> queues without waiting (for
/// volume); <see cref="ProduceAsync"/> waits for the broker's acknowledgement (for hand-overs that
/// must be durable before an offset is committed).
/// </summary>
public sealed partial class KafkaProducerHandle : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly MessagingMetrics _metrics;
    private readonly ILogger<KafkaProducerHandle> _logger;

    public KafkaProducerHandle(IOptions<KafkaOptions> options, IHostEnvironment environment, MessagingMetrics metrics, ILogger<KafkaProducerHandle> logger)
    {
        _metrics = metrics;
        _logger = logger;
        var config = KafkaClientConfigs.Producer(options.Value, environment.ApplicationName);
        _producer = new ProducerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, error) => LogKafkaError(error.Code, error.Reason))
            .SetLogHandler((_, message) => OnLog(message))
            .Build();
    }

    public void Produce(string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>>? onDelivery = null)
    {
        TraceContext.Inject(message);
        _producer.Produce(topic, message, onDelivery);
        _metrics.RecordProduced(topic);
    }

    public async Task<DeliveryResult<byte[], byte[]>> ProduceAsync(string topic, Message<byte[], byte[]> message, CancellationToken cancellationToken)
    {
        TraceContext.Inject(message);
        var result = await _producer.ProduceAsync(topic, message, cancellationToken).ConfigureAwait(false);
        _metrics.RecordProduced(topic);
        return result;
    }

    /// <summary>librdkafka's warnings and worse (broker down, message too large, …) at Warning; the rest at Debug.</summary>
    private void OnLog(LogMessage message)
    {
        if (message.Level <= SyslogLevel.Warning)
            LogKafkaWarning(message.Facility, message.Message);
        else
            LogKafkaLog(message.Facility, message.Message);
    }

    public int Flush(TimeSpan timeout) => _producer.Flush(timeout);

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka producer error {Code}: {Reason}")]
    private partial void LogKafkaError(ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka producer: librdkafka {Facility}: {Message}")]
    private partial void LogKafkaWarning(string facility, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka {Facility}: {Message}")]
    private partial void LogKafkaLog(string facility, string message);
}
