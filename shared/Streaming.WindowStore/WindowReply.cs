namespace Streaming.WindowStore;

/// <summary>
/// One window's state after an append script run (<see cref="ScriptReply"/>): its pending count and
/// since when, its outbox length, and how many of the run's events it applied and windows it created.
/// </summary>
internal readonly record struct WindowReply(long PendingCount, long PendingSinceMs, long OutboxLength, long Applied, long Created)
{
    /// <summary>Whether the pending count reached <paramref name="minSize"/> during this run (it was below before, or a window reset it).</summary>
    public bool ReachedMinSize(int minSize)
    {
        var before = Created > 0 ? 0 : PendingCount - Applied;
        return before < minSize && PendingCount >= minSize;
    }
}
