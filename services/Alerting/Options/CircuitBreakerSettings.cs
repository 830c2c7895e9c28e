namespace Streaming.Alerting.Options;

/// <summary>One circuit breaker per target ("Alerting:CircuitBreaker"); a dead target stops costing attempts.</summary>
public sealed class CircuitBreakerSettings
{
    /// <summary>Share of failed attempts in <see cref="SamplingDuration"/> that opens the circuit.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed in <see cref="SamplingDuration"/> before the ratio counts.</summary>
    public int MinimumThroughput { get; set; } = 4;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before one trial attempt (half-open).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
