using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Streaming.Alerting.Extensions;
using Streaming.Messaging;
using Streaming.ServiceDefaults;

namespace Streaming.IntegrationTests.Alerting;

/// <summary>
/// The Alerting service's wiring (as in its Program.cs) in a generic host with in-memory configuration.
/// By default deliveries go through MassTransit's in-memory transport with the retry store off: these
/// hosts test routing, HTTP, Polly and dead letters. Durability (RabbitMQ, the Redis retry store,
/// kill -9) is tested with <c>extra</c> settings and in <see cref="AlertingDurabilityTests"/>.
/// </summary>
internal static class AlertingHost
{
    public static IHost Build(string bootstrapServers, IReadOnlyList<(string Name, string Url)> webhooks, int maxRetries = 4, string groupId = "alerting", IReadOnlyDictionary<string, string?>? extra = null, TimeProvider? timeProvider = null, Action<HostApplicationBuilder>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrapServers,
            ["Kafka:SessionTimeoutMs"] = "3000",
            ["Kafka:HeartbeatIntervalMs"] = "500",
            ["Alerting:GroupId"] = groupId,
            ["Alerting:MaxRetries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerting:RetryBaseDelay"] = "00:00:00.050",
            // Several tests count attempts exactly. On a loaded 2-core CI machine the first request
            // to a cold receiver once took over 2 s, timed out and was never seen by the receiver;
            // tests of timeouts set their own, shorter, per-target AttemptTimeout.
            ["Alerting:AttemptTimeout"] = "00:00:15",
            ["Logging:LogLevel:Default"] = "Warning",
            // Local receivers are plain http on loopback.
            ["Alerting:AllowInsecureHosts:0"] = "127.0.0.1",
            ["Alerting:AllowPrivateNetworks"] = "true",
            ["Alerting:Transport"] = "inmemory",
            ["Alerting:Redelivery:MaxRedeliveries"] = "0",
        };
        for (var i = 0; i < webhooks.Count; i++)
        {
            settings[$"Alerting:Webhooks:{i}:Name"] = webhooks[i].Name;
            settings[$"Alerting:Webhooks:{i}:Url"] = webhooks[i].Url;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;

        // No defaults: environment variables of the machine must not leak into the test's configuration.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.Services.AddKafka(builder.Configuration);
        builder.AddAlerting();
        // After AddKafka, which registers the system clock: the last registration wins.
        if (timeProvider is not null)
            builder.Services.AddSingleton(timeProvider);
        configure?.Invoke(builder);
        return builder.Build();
    }
}
