namespace Streaming.Alerting.Options;

/// <summary>How an alert is rendered for a target.</summary>
public enum WebhookFormat
{
    /// <summary>The documented, versioned JSON schema (<c>AlertWebhookPayload</c>).</summary>
    Json,

    /// <summary>A Slack incoming-webhook message (<c>{"text": …}</c>).</summary>
    Slack,
}
