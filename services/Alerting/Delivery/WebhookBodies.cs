using System.Text.Json;
using Streaming.Alerting.Options;

namespace Streaming.Alerting.Delivery;

/// <summary>An alert's body in each format, serialized at most once per alert.</summary>
public sealed class WebhookBodies(AlertWebhookPayload payload)
{
    private byte[]? _json;
    private byte[]? _slack;

    public AlertWebhookPayload Payload => payload;

    public byte[] For(WebhookFormat format) => format switch
    {
        WebhookFormat.Json => _json ??= JsonSerializer.SerializeToUtf8Bytes(payload, AlertPayloadJsonContext.Default.AlertWebhookPayload),
        WebhookFormat.Slack => _slack ??= JsonSerializer.SerializeToUtf8Bytes(SlackPayload.From(payload), AlertPayloadJsonContext.Default.SlackPayload),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown webhook format."),
    };
}
