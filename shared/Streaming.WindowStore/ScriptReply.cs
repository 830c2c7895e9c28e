using StackExchange.Redis;

namespace Streaming.WindowStore;

/// <summary>
/// The append script's answer for one window's events of a batch (<see cref="WindowScripts.Append"/>):
/// a flag per event (1 duplicate, 0 applied, 2 applied and it completed a window), then the window's
/// pending count, pending since ms and outbox length after the run.
/// </summary>
internal sealed class ScriptReply
{
    private const long DuplicateFlag = 1;
    private const long CreatedFlag = 2;

    private readonly long[] _flags;

    private ScriptReply(long[] flags, long pendingCount, long pendingSinceMs, long outboxLength)
    {
        _flags = flags;
        PendingCount = pendingCount;
        PendingSinceMs = pendingSinceMs;
        OutboxLength = outboxLength;
    }

    public long PendingCount { get; }
    public long PendingSinceMs { get; }
    public long OutboxLength { get; }

    /// <summary>Some event of the run was applied before (a replay): the indexes are repaired for it.</summary>
    public bool AnyDuplicate => _flags.Contains(DuplicateFlag);

    /// <summary>Some event of the run completed a window.</summary>
    public bool AnyCreated => _flags.Contains(CreatedFlag);

    /// <summary>Whether the pending count reached <paramref name="minSize"/> during this run (it was below before, or a window reset it).</summary>
    public bool ReachedMinSize(int minSize)
    {
        var applied = _flags.Count(f => f != DuplicateFlag);
        var before = AnyCreated ? 0 : PendingCount - applied;
        return before < minSize && PendingCount >= minSize;
    }

    public bool Duplicate(int index) => _flags[index] == DuplicateFlag;

    public int Created(int index) => _flags[index] == CreatedFlag ? 1 : 0;

    public static ScriptReply Of(RedisResult result, int events)
    {
        var reply = (RedisResult[])result!;
        if (reply.Length != events + 3)
            throw new InvalidOperationException($"The append script answered {reply.Length} values for {events} events (expected {events + 3}).");
        var flags = new long[events];
        for (var i = 0; i < events; i++)
            flags[i] = (long)reply[i];
        return new ScriptReply(flags, (long)reply[events], (long)reply[events + 1], (long)reply[events + 2]);
    }
}
