namespace Streaming.Windowing.Publishing;

/// <summary>
/// Remembers whether a dependency is failing, so an outage is logged when it starts and when it
/// ends instead of on every retry.
/// </summary>
public sealed class OutageLog(TimeProvider timeProvider)
{
    private DateTimeOffset? _since;

    public bool IsOngoing => _since is not null;

    /// <summary>Records a failure; true only for the first failure of an outage.</summary>
    public bool Failed()
    {
        if (_since is not null) return false;
        _since = timeProvider.GetUtcNow();
        return true;
    }

    /// <summary>Records a success; returns how long the outage lasted when one just ended.</summary>
    public TimeSpan? Succeeded()
    {
        if (_since is not { } since) return null;
        _since = null;
        return timeProvider.GetUtcNow() - since;
    }
}
