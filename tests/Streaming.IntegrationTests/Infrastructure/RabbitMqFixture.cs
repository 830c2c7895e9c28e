using Streaming.LocalStack.Servers;

namespace Streaming.IntegrationTests.Infrastructure;

/// <summary>
/// One real rabbitmq-server (Debian package, private node on free ports) per test collection; it
/// takes 6-10 s to start, so the collection shares it. Tests isolate themselves with their own
/// queue names (<see cref="NewQueueName"/>).
/// </summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    private RabbitMqServerProcess? _server;

    public RabbitMqServerProcess Server => _server ?? throw new InvalidOperationException("The RabbitMQ fixture has not been initialized.");

    /// <summary>Settings pointing Alerting at this broker with the durable transport.</summary>
    public Dictionary<string, string?> AlertingSettings(string queue) => new()
    {
        ["Alerting:Transport"] = "rabbitmq",
        ["Alerting:RabbitMq:Host"] = Server.Host,
        ["Alerting:RabbitMq:Port"] = Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerting:RabbitMq:Username"] = Server.Username,
        ["Alerting:RabbitMq:Password"] = Server.Password,
        ["Alerting:DeliveryQueue"] = queue,
    };

    public static string NewQueueName() => "deliveries-" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await RabbitMqServerProcess.StartAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
