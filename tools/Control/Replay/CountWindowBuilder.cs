using Streaming.Contracts;

namespace Streaming.Control.Replay;

/// <summary>
/// In-memory count windows with the same rule as the windowing service's Redis script: per
/// (model, stream) keep the last Size events; emit a window when Slide events arrived since the
/// last one and Size are held. Duplicate event ids are ignored, as the service does. Replay has no
/// time flush: a historical range has no "quiet stream".
/// </summary>
public sealed class CountWindowBuilder(int size, int slide)
{
    private readonly Dictionary<(string Model, string Stream), StreamState> _streams = [];

    /// <summary>Count windows a stream of <paramref name="events"/> yields: one at size, then one every slide.</summary>
    public static int ExpectedCount(long events, int size, int slide) => events < size ? 0 : (int)((events - size) / slide) + 1;

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
        if (state.SinceLast < slide || state.Ring.Count < size) return null;

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
