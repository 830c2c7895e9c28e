namespace Streaming.Messaging;

/// <summary>
/// A run of transient failures of one consumer, from the first until the next success, so that an
/// outage is logged once when it starts and once when it ends instead of once per message and try.
/// Used by the consume loop only (one logical thread).
/// </summary>
internal sealed class ConsumerOutage(TimeProvider timeProvider)
{
    private DateTimeOffset? _since;

    public bool InProgress => _since is not null;

    /// <summary>Transient failures since the outage started.</summary>
    public int Failures { get; private set; }

    public TimeSpan Elapsed => _since is { } since ? timeProvider.GetUtcNow() - since : TimeSpan.Zero;

    /// <summary>Counts a transient failure; true when it starts a new outage.</summary>
    public bool RecordFailure()
    {
        Failures++;
        if (_since is not null) return false;
        _since = timeProvider.GetUtcNow();
        return true;
    }

    /// <summary>Ends the outage, if there is one; its length and failure count, for the log line.</summary>
    public bool TryEnd(out TimeSpan duration, out int failures)
    {
        duration = Elapsed;
        failures = Failures;
        if (_since is null) return false;
        _since = null;
        Failures = 0;
        return true;
    }
}
