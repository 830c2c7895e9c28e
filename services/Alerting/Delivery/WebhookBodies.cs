using System.Text.Json;
using Streaming.Alerting.Options;
using Streaming.Messaging;

namespace Streaming.Alerting.Delivery;

/// <summary>An alert's body in each format, serialized at most once per alert.</summary>
public sealed class WebhookBodies(AlertWebhookPayload payload)
{
    private byte[]? _json;
    private byte[]? _slack;

    public AlertWebhookPayload Payload => payload;

    /// <exception cref="MalformedMessageException">
    /// The payload cannot be serialized. Nothing known makes it so (non-finite numbers and
    /// out-of-range times are already null), but should anything, the alert must be dead-lettered
    /// with the reason, not retried at the head of its partition.
    /// </exception>
    public byte[] For(WebhookFormat format)
    {
        try
        {
            return format switch
            {
                WebhookFormat.Json => _json ??= JsonSerializer.SerializeToUtf8Bytes(payload, AlertPayloadJsonContext.Default.AlertWebhookPayload),
                WebhookFormat.Slack => _slack ??= JsonSerializer.SerializeToUtf8Bytes(SlackPayload.From(payload), AlertPayloadJsonContext.Default.SlackPayload),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown webhook format."),
            };
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or (ArgumentException and not ArgumentOutOfRangeException))
        {
            throw new MalformedMessageException($"Alert {payload.AlertId} cannot be serialized as a {format} webhook body: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }
}
