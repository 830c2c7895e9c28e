namespace Streaming.Alerting.Options;

/// <summary>Values of "Alerting:Transport": where deliveries wait between the Kafka consumer and the webhook consumer.</summary>
public static class DeliveryTransports
{
    /// <summary>Durable: persistent messages in a durable RabbitMQ queue, sent with publisher confirms.</summary>
    public const string RabbitMq = "rabbitmq";

    /// <summary>Not durable: MassTransit's in-process queue; a crash loses what it holds (embedded demo and tests only).</summary>
    public const string InMemory = "inmemory";

    public static bool IsInMemory(string? transport) => string.Equals(transport, InMemory, StringComparison.OrdinalIgnoreCase);

    public static bool IsKnown(string? transport) =>
        string.Equals(transport, RabbitMq, StringComparison.OrdinalIgnoreCase) || IsInMemory(transport);
}
