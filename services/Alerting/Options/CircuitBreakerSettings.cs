using Streaming.Contracts.Validation;

namespace Streaming.Alerting.Options;

/// <summary>One circuit breaker per target ("Alerting:CircuitBreaker"); a dead target stops costing attempts.</summary>
public sealed class CircuitBreakerSettings
{
    /// <summary>Share of failed attempts in <see cref="SamplingDuration"/> that opens the circuit.</summary>
    // Polly's own limits for the circuit breaker.
    [SettingRange(0.0, 1.0, MinimumIsExclusive = true, ErrorMessage = "Alerting:CircuitBreaker:FailureRatio must be in (0, 1].")]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed in <see cref="SamplingDuration"/> before the ratio counts.</summary>
    [SettingRange(2, int.MaxValue, ErrorMessage = "Alerting:CircuitBreaker:MinimumThroughput must be at least 2.")]
    public int MinimumThroughput { get; set; } = 4;

    [SettingRange(typeof(TimeSpan), "00:00:00.500", "1.00:00:00", ErrorMessage = "Alerting:CircuitBreaker:SamplingDuration must be between 00:00:00.500 and 1.00:00:00.")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before one trial attempt (half-open).</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00.500", "1.00:00:00", ErrorMessage = "Alerting:CircuitBreaker:BreakDuration must be between 00:00:00.500 and 1.00:00:00.")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
