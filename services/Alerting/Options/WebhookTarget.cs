namespace Streaming.Alerting.Options;

/// <summary>One webhook target (configuration "Alerting:Webhooks:N"). Rules route alerts to targets by name.</summary>
public sealed class WebhookTarget
{
    /// <summary>Short unique name: used in the Idempotency-Key, rules, metrics, logs and dead letters.</summary>
    public string Name { get; set; } = "";

    /// <summary>Absolute https URL (http only for hosts in Alerting:AllowInsecureHosts).</summary>
    public string Url { get; set; } = "";

    /// <summary>Body format: generic versioned JSON or a Slack-compatible message.</summary>
    public WebhookFormat Format { get; set; } = WebhookFormat.Json;

    /// <summary>HMAC-SHA256 signing secret. Prefer <see cref="SecretFile"/>; never logged.</summary>
    public string? Secret { get; set; }

    /// <summary>File whose (trimmed) content is the signing secret, e.g. a mounted Kubernetes/Docker secret.</summary>
    public string? SecretFile { get; set; }

    /// <summary>Overrides Alerting:AttemptTimeout for this target.</summary>
    public TimeSpan? AttemptTimeout { get; set; }

    // Neither the secret nor the URL's path and query (often a credential) may reach a log line, even through ToString.
    public override string ToString() => $"{Name} ({Diagnostics.UrlRedaction.Redact(Url)})";
}
