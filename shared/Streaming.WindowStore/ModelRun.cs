using StackExchange.Redis;

namespace Streaming.WindowStore;

/// <summary>
/// One append script run (<see cref="WindowScripts.Append"/>): up to <see cref="MaxEvents"/> events
/// of one model in the order added, each with the index of its event in the batch, and the windows
/// they touch (the model-wide one first when on, then each stream's in order of first event).
/// </summary>
internal sealed class ModelRun
{
    /// <summary>
    /// Events per run at most: a script blocks Redis while it runs (about 30 us per event), so a
    /// large batch of one model becomes several runs, sent in order in the same pipeline.
    /// </summary>
    public const int MaxEvents = 1_000;

    private readonly Dictionary<string, int> _windowOfStream = new(StringComparer.Ordinal);
    private readonly List<int> _windowOfEvent = [];

    /// <param name="modelWide">The model-wide window's keys and shape; null when WindowStore:ModelWide is off.</param>
    /// <param name="streamShape">The shape of every stream window.</param>
    public ModelRun((WindowKeys Keys, WindowShape Shape)? modelWide, WindowShape streamShape)
    {
        if (modelWide is { } window)
            Windows.Add(window);
        StreamShape = streamShape;
        HasModelWide = modelWide is not null;
    }

    public bool HasModelWide { get; }

    private WindowShape StreamShape { get; }

    public List<(WindowKeys Keys, WindowShape Shape)> Windows { get; } = [];

    public List<AppendCall> Calls { get; } = [];

    public List<int> EventIndexes { get; } = [];

    public bool IsFull => Calls.Count >= MaxEvents;

    public void Add(AppendCall call, int eventIndex)
    {
        if (!_windowOfStream.TryGetValue(call.Keys.Stream, out var window))
        {
            window = Windows.Count;
            _windowOfStream.Add(call.Keys.Stream, window);
            Windows.Add((call.Keys, StreamShape));
        }

        Calls.Add(call);
        EventIndexes.Add(eventIndex);
        _windowOfEvent.Add(window);
    }

    /// <summary>Per window, whether any of the run's events that count in it was a duplicate (a replay): its indexes are repaired then.</summary>
    public bool[] WindowsWithDuplicates(ScriptReply reply)
    {
        var any = new bool[Windows.Count];
        for (var i = 0; i < Calls.Count; i++)
        {
            if (!reply.Duplicate(i)) continue;
            any[_windowOfEvent[i]] = true;
            if (HasModelWide) any[0] = true;
        }

        return any;
    }

    /// <summary>KEYS: each window's ring, ringts, state and outbox, then each event's dedupe and event key.</summary>
    public RedisKey[] ScriptKeys()
    {
        var keys = new RedisKey[(4 * Windows.Count) + (2 * Calls.Count)];
        for (var w = 0; w < Windows.Count; w++)
        {
            var window = Windows[w].Keys;
            (keys[4 * w], keys[(4 * w) + 1], keys[(4 * w) + 2], keys[(4 * w) + 3]) = (window.Ring, window.RingTimestamps, window.State, window.Outbox);
        }

        var at = 4 * Windows.Count;
        foreach (var call in Calls)
        {
            keys[at++] = call.Dedupe;
            keys[at++] = call.Event;
        }

        return keys;
    }

    /// <summary>ARGV: the fixed ones (<paramref name="fixedArgs"/>, the window count last), each window's stream id, then each event's.</summary>
    public RedisValue[] ScriptArgs(ReadOnlySpan<RedisValue> fixedArgs)
    {
        var args = new RedisValue[fixedArgs.Length + 1 + Windows.Count + (WindowScripts.AppendArgsPerEvent * Calls.Count)];
        fixedArgs.CopyTo(args);
        var at = fixedArgs.Length;
        args[at++] = Windows.Count;
        foreach (var (keys, _) in Windows)
            args[at++] = keys.Stream;
        for (var i = 0; i < Calls.Count; i++)
        {
            args[at++] = _windowOfEvent[i] + 1;
            Calls[i].EventArgs.CopyTo(args, at);
            at += Calls[i].EventArgs.Length;
        }

        return args;
    }
}
