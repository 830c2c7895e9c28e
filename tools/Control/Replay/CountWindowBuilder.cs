using Streaming.Contracts;
using Streaming.WindowStore;

namespace Streaming.Control.Replay;

/// <summary>
/// In-memory count windows by the windowing service's rule (<see cref="CountWindowRule"/>): per
/// (model, stream) keep the last Size events; emit a window when the rule closes one. Duplicate
/// event ids are ignored, as the service does. Replay has no
/// time flush: a historical range has no "quiet stream".
/// </summary>
public sealed class CountWindowBuilder(int size, int slide)
{
    private readonly Dictionary<(string Model, string Stream), StreamState> _streams = [];

    public IReadOnlyList<ActivationEvent>? Add(ActivationEvent activation, out long sequence)
    {
        sequence = 0;
        var key = (activation.Header.Model, activation.Header.StreamId);
        if (!_streams.TryGetValue(key, out var state))
            _streams[key] = state = new StreamState();
        if (!state.Seen.Add(activation.Header.EventId)) return null;

        state.Ring.Enqueue(activation);
        if (state.Ring.Count > size) state.Ring.Dequeue();
        state.SinceLast++;
        if (!CountWindowRule.Closes(state.SinceLast, state.Ring.Count, size, slide)) return null;

        state.SinceLast = 0;
        sequence = ++state.Sequence;
        return state.Ring.ToArray();
    }

    private sealed class StreamState
    {
        public Queue<ActivationEvent> Ring { get; } = new();

        public HashSet<string> Seen { get; } = [];

        public int SinceLast { get; set; }

        public long Sequence { get; set; }
    }
}
