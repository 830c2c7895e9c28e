using Streaming.Contracts.Validation;

namespace Streaming.Alerting.Options;

/// <summary>
/// The durable retry store ("Alerting:Redelivery"): a delivery whose quick retries are spent waits
/// in a Redis sorted set until its next attempt, so outages longer than the quick retries, and
/// restarts, lose nothing. Each redelivery is one more round of 1 + Alerting:MaxRetries attempts.
/// </summary>
public sealed class RedeliverySettings
{
    /// <summary>Rounds after the first before a delivery is dead-lettered; 0 turns the store off (no Redis needed).</summary>
    [SettingRange(0, 1000, ErrorMessage = "Alerting:Redelivery:MaxRedeliveries must be between 0 and 1000.")]
    public int MaxRedeliveries { get; set; } = 10;

    /// <summary>Wait before the first redelivery; doubled each round, with ±20 % jitter, capped at <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A delivery older than this (since its first attempt) is dead-lettered instead of scheduled again.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the scheduler looks for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Redis key of the sorted set (member: the delivery, score: next attempt, Unix ms).</summary>
    public string Key { get; set; } = "alerting:redelivery";

    public bool Enabled => MaxRedeliveries > 0;
}
