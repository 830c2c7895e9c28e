namespace Streaming.Alerting.Options;

/// <summary>The RabbitMQ broker ("Alerting:RabbitMq"), used when Alerting:Transport is rabbitmq.</summary>
public sealed class RabbitMqSettings
{
    /// <summary>Broker host name; required with the rabbitmq transport.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    public string Username { get; set; } = "guest";

    /// <summary>Never logged. RabbitMQ lets "guest" in only over loopback.</summary>
    public string Password { get; set; } = "guest";

    // The password must never reach a log line.
    public override string ToString() => $"amqp://{Username}@{Host}:{Port}{VirtualHost}";
}
