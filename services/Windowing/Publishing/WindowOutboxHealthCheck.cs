using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Streaming.Windowing.Publishing;

/// <summary>
/// Not ready while windows could not be published (or the time flush could not run) for longer
/// than <see cref="Tolerance"/>: the process is up, but no window leaves it.
/// </summary>
public sealed class WindowOutboxHealthCheck(WindowOutboxPublisher publisher, TimeProvider timeProvider) : IHealthCheck
{
    /// <summary>Short hiccups (a leader election, a Redis failover) do not flip readiness.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(30);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        if (publisher.PublishingFailingSince is { } publishing && now - publishing > Tolerance)
            return Task.FromResult(HealthCheckResult.Unhealthy($"No window could be published since {publishing:O}."));
        if (publisher.FlushFailingSince is { } flush && now - flush > Tolerance)
            return Task.FromResult(HealthCheckResult.Unhealthy($"The time flush has failed since {flush:O}."));
        return Task.FromResult(HealthCheckResult.Healthy());
    }
}
