using StackExchange.Redis;

namespace Streaming.WindowStore;

/// <summary>The append script's answer (<see cref="WindowScripts.Append"/>): {duplicate, windows created, pending count, pending since ms, outbox length}.</summary>
internal readonly record struct ScriptReply(bool Duplicate, int Created, long PendingCount, long PendingSinceMs, long OutboxLength)
{
    public static ScriptReply Of(RedisResult result)
    {
        var reply = (RedisResult[])result!;
        return new ScriptReply((long)reply[0] == 1, (int)(long)reply[1], (long)reply[2], (long)reply[3], (long)reply[4]);
    }
}
