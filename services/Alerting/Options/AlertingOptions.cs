using Streaming.Contracts;

namespace Streaming.Alerting.Options;

/// <summary>Settings of the Alerting service (section "Alerting"), validated at start.</summary>
public sealed class AlertingOptions
{
    public const string SectionName = "Alerting";

    /// <summary>Topic the alerts are consumed from; its dead letters go to "&lt;Topic&gt;.deadletter".</summary>
    public string Topic { get; set; } = Topics.Alerts;

    public string GroupId { get; set; } = "alerting";

    /// <summary>Every alert is delivered to each of these.</summary>
    public List<WebhookTarget> Webhooks { get; set; } = [];

    /// <summary>Deadline of one HTTP attempt (connect, send and response headers).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after the first attempt before a delivery is dead-lettered (0 = no retry).</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
