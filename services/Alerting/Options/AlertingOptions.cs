using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Streaming.Contracts.Validation;
using Streaming.Contracts;
using Streaming.Alerting.Rules;

namespace Streaming.Alerting.Options;

/// <summary>Settings of the Alerting service (section "Alerting"), validated at start.</summary>
public sealed class AlertingOptions
{
    public const string SectionName = "Alerting";

    /// <summary>Topic the alerts are consumed from; its dead letters go to "&lt;Topic&gt;.deadletter".</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Alerting:Topic is required.")]
    public string Topic { get; set; } = Topics.Alerts;

    [Required(AllowEmptyStrings = false, ErrorMessage = "Alerting:GroupId is required.")]
    public string GroupId { get; set; } = "alerting";

    /// <summary>The targets; without <see cref="Rules"/> every alert goes to each of them.</summary>
    [MinLength(1, ErrorMessage = "Alerting:Webhooks must list at least one target ({{ Name, Url }}); without one every alert would be dropped.")]
    public List<WebhookTarget> Webhooks { get; set; } = [];

    /// <summary>Routing rules; empty means one implicit rule sending every alert to every target.</summary>
    public List<AlertRule> Rules { get; set; } = [];

    /// <summary>Optional JSON file merged into the configuration at start (<c>{"Alerting": {"Rules": [...]}}</c>).</summary>
    public string? RulesFile { get; set; }

    /// <summary>Host names (exact, case-insensitive) that may be reached over plain http; all others need https.</summary>
    public List<string> AllowInsecureHosts { get; set; } = [];

    /// <summary>Allows targets on loopback, link-local and private ranges (off: SSRF protection).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>At most this many bytes of a response body are read (for the failure reason); the rest is discarded.</summary>
    [SettingRange(0, 1 << 20, ErrorMessage = "Alerting:MaxResponseBodyBytes must be between 0 and 1048576.")]
    public int MaxResponseBodyBytes { get; set; } = 4096;

    /// <summary>Deadline of one HTTP attempt (connect, send and response headers).</summary>
    // Polly refuses attempt timeouts outside [10 ms, 1 day] and delays above 1 day.
    [SettingRange(typeof(TimeSpan), "00:00:00.010", "1.00:00:00", ErrorMessage = "Alerting:AttemptTimeout must be between 00:00:00.010 and 1.00:00:00.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after the first attempt before a delivery is dead-lettered (0 = no retry).</summary>
    [SettingRange(0, 100, ErrorMessage = "Alerting:MaxRetries must be between 0 and 100.")]
    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Alerting:RetryBaseDelay must be between 00:00:00 and 1.00:00:00.")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [ValidateObjectMembers]
    public CircuitBreakerSettings CircuitBreaker { get; set; } = new();

    /// <summary>
    /// Where deliveries wait for the webhook consumer: "rabbitmq" (durable, the default) or
    /// "inmemory" (lost on a crash: embedded demo and tests only). See <see cref="DeliveryTransports"/>.
    /// </summary>
    public string Transport { get; set; } = DeliveryTransports.RabbitMq;

    public RabbitMqSettings RabbitMq { get; set; } = new();

    /// <summary>Queue holding one message per (alert, target) until its webhook answered, was rescheduled or dead-lettered.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Alerting:DeliveryQueue is required.")]
    public string DeliveryQueue { get; set; } = "alerting-webhook-deliveries";

    /// <summary>Deliveries in flight at once (RabbitMQ prefetch and consumer concurrency).</summary>
    [SettingRange(1, 1000, ErrorMessage = "Alerting:ConcurrentDeliveries must be between 1 and 1000.")]
    public int ConcurrentDeliveries { get; set; } = 16;

    [ValidateObjectMembers]
    public RedeliverySettings Redelivery { get; set; } = new();
}
