using Streaming.Contracts;

namespace Streaming.WindowStore;

/// <summary>
/// Events to append with one pipelined Redis round trip (<see cref="RedisWindowWriter.CreateBatch"/>):
/// one atomic, idempotent script run per model the batch touches (at most 1,000 events each: its
/// events of every stream together), in which every event is checked, stored and counted in its
/// stream's window and its model's model-wide window in order as if appended alone (<see cref="WindowScripts.Append"/>). Add the events in order, each
/// while its own trace is the current activity (a window it completes is published in that trace),
/// then <see cref="ExecuteAsync"/>.
/// </summary>
/// <remarks>
/// A failure part-way (Redis lost mid-batch) leaves the runs before it applied and the rest not:
/// <see cref="ExecuteAsync"/> throws, and appending the same events again (together or one by one)
/// finds the applied ones as duplicates, so nothing is lost or counted twice.
/// </remarks>
public sealed class WindowAppendBatch
{
    private readonly RedisWindowWriter _writer;
    private readonly List<AppendCall> _events;

    internal WindowAppendBatch(RedisWindowWriter writer, int capacity)
    {
        _writer = writer;
        _events = new List<AppendCall>(capacity);
    }

    /// <summary>Events added so far.</summary>
    public int Count => _events.Count;

    /// <summary>
    /// Adds one event; checks it as <see cref="RedisWindowWriter.AppendAsync"/> does (throws
    /// <see cref="ArgumentException"/> before anything is sent) and captures the current trace context.
    /// </summary>
    public void Add(ActivationEvent ev) => _events.Add(_writer.Prepare(ev));

    /// <summary>Sends every script of the batch in one pipeline; one result per event, in the order added.</summary>
    public Task<IReadOnlyList<AppendResult>> ExecuteAsync(CancellationToken ct) => _writer.ExecuteAsync(_events, ct);
}
