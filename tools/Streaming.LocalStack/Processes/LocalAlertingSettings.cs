using System.Globalization;
using Streaming.LocalStack.Servers;
using Streaming.LocalStack.Webhooks;

namespace Streaming.LocalStack.Processes;

/// <summary>The environment an Alerting process needs to deliver to a local webhook receiver through a local RabbitMQ node.</summary>
public static class LocalAlertingSettings
{
    public static Dictionary<string, string> Environment(WebhookReceiver receiver, RabbitMqServerProcess rabbitMq)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(rabbitMq);
        return new Dictionary<string, string>
        {
            ["Alerting__Webhooks__0__Name"] = "local-receiver",
            ["Alerting__Webhooks__0__Url"] = receiver.Url.ToString(),
            // The local receiver is plain http on loopback: both are refused unless allow-listed.
            ["Alerting__AllowInsecureHosts__0"] = receiver.Url.Host,
            ["Alerting__AllowPrivateNetworks"] = "true",
            // Durable delivery queue on the private node; the retry store is in the Redis the caller names.
            ["Alerting__Transport"] = "rabbitmq",
            ["Alerting__RabbitMq__Host"] = rabbitMq.Host,
            ["Alerting__RabbitMq__Port"] = rabbitMq.Port.ToString(CultureInfo.InvariantCulture),
            ["Alerting__RabbitMq__Username"] = rabbitMq.Username,
            ["Alerting__RabbitMq__Password"] = rabbitMq.Password,
        };
    }
}
