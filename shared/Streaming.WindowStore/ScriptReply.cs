using StackExchange.Redis;

namespace Streaming.WindowStore;

/// <summary>
/// The append script's answer for one model's events of a batch (<see cref="WindowScripts.Append"/>):
/// a flag per event (-1 duplicate, else the windows it completed), then per window its state after
/// the run (<see cref="WindowReply"/>).
/// </summary>
internal sealed class ScriptReply
{
    private const int ValuesPerWindow = 5;

    private readonly long[] _flags;
    private readonly WindowReply[] _windows;

    private ScriptReply(long[] flags, WindowReply[] windows)
    {
        _flags = flags;
        _windows = windows;
    }

    public bool Duplicate(int index) => _flags[index] < 0;

    public int Created(int index) => (int)Math.Max(0, _flags[index]);

    public WindowReply Window(int index) => _windows[index];

    public static ScriptReply Of(RedisResult result, int events, int windows)
    {
        var reply = (RedisResult[])result!;
        var expected = events + (ValuesPerWindow * windows);
        if (reply.Length != expected)
            throw new InvalidOperationException($"The append script answered {reply.Length} values for {events} events and {windows} windows (expected {expected}).");
        var flags = new long[events];
        for (var i = 0; i < events; i++)
            flags[i] = (long)reply[i];
        var states = new WindowReply[windows];
        for (var w = 0; w < windows; w++)
        {
            var at = events + (ValuesPerWindow * w);
            states[w] = new WindowReply((long)reply[at], (long)reply[at + 1], (long)reply[at + 2], (long)reply[at + 3], (long)reply[at + 4]);
        }

        return new ScriptReply(flags, states);
    }
}
