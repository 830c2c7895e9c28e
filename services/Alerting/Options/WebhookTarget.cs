namespace Streaming.Alerting.Options;

/// <summary>One webhook that receives every alert (configuration "Alerting:Webhooks:N").</summary>
public sealed class WebhookTarget
{
    /// <summary>Short unique name: used in the Idempotency-Key, metrics, logs and dead letters.</summary>
    public string Name { get; set; } = "";

    /// <summary>Absolute http(s) URL the alert is POSTed to.</summary>
    public string Url { get; set; } = "";
}
