using Streaming.Alerting.Options;

namespace Streaming.Alerting.Redelivery;

/// <summary>Wait before redelivery round <c>n</c> (1-based): BaseDelay · 2^(n-1), capped at MaxDelay, ±20 % jitter.</summary>
public static class RedeliveryBackoff
{
    public static TimeSpan Delay(int round, RedeliverySettings settings, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 1);
        var exponential = settings.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(round - 1, 40));
        var capped = Math.Min(exponential, settings.MaxDelay.TotalMilliseconds);
        // Jitter spreads the targets' retries after a shared outage instead of a thundering herd.
        var jittered = capped * (0.8 + (0.4 * random.NextDouble()));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, settings.MaxDelay.TotalMilliseconds));
    }
}
