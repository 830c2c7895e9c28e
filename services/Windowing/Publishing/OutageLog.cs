namespace Streaming.Windowing.Publishing;

/// <summary>
/// Remembers whether a dependency is failing, so an outage is logged when it starts and when it
/// ends instead of on every retry. Safe to call from concurrent deliveries; health checks read
/// <see cref="Since"/>.
/// </summary>
public sealed class OutageLog(TimeProvider timeProvider)
{
    private long _sinceUtcTicks;

    /// <summary>When the ongoing outage began; null while things work.</summary>
    public DateTimeOffset? Since =>
        Volatile.Read(ref _sinceUtcTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Records a failure; true only for the first failure of an outage.</summary>
    public bool Failed() =>
        Interlocked.CompareExchange(ref _sinceUtcTicks, timeProvider.GetUtcNow().UtcTicks, 0) == 0;

    /// <summary>Records a success; returns how long the outage lasted when one just ended.</summary>
    public TimeSpan? Succeeded()
    {
        var ticks = Interlocked.Exchange(ref _sinceUtcTicks, 0);
        return ticks == 0 ? null : timeProvider.GetUtcNow() - new DateTimeOffset(ticks, TimeSpan.Zero);
    }
}
