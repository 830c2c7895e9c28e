using System.Runtime.InteropServices;
using Streaming.Detection.Decision;

namespace Streaming.Detection.WindowTest;

/// <summary>
/// The MMD outcomes of the last <see cref="Capacity"/> windows tested against one reference, so that a
/// window holding exactly the same events as one of them is not tested again. That happens whenever a
/// model has one stream: its model-wide window (same size and slide) then holds the same events in the
/// same order as its stream's window, and every window would be tested twice. A window is the same
/// only with the same event keys in the same order and bit-identical vectors, and the test is
/// deterministic (seeded per layer), so the outcome is the one testing it again gives; its
/// <see cref="WindowTestOutcome.Duration"/> is zero (no test ran). Bounded (a ring of Capacity
/// windows); thread-safe.
/// </summary>
public sealed class RecentWindowOutcomes
{
    private readonly (EventKey[] Keys, float[][][] Layers, WindowTestOutcome Outcome)?[] _ring;
    private readonly Lock _gate = new();
    private int _next;
    private long _reused;

    public RecentWindowOutcomes(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new (EventKey[], float[][][], WindowTestOutcome)?[capacity];
    }

    public int Capacity => _ring.Length;

    /// <summary>Windows answered from a recent one.</summary>
    public long Reused => Interlocked.Read(ref _reused);

    /// <param name="layers">Per reference layer, in reference order, the window's vectors.</param>
    public WindowTestOutcome? Find(IReadOnlyList<EventKey> keys, IReadOnlyList<float[][]> layers)
    {
        lock (_gate)
        {
            foreach (var entry in _ring)
            {
                if (entry is { } e && Same(e.Keys, e.Layers, keys, layers))
                {
                    _reused++;
                    return e.Outcome with { Duration = TimeSpan.Zero };
                }
            }
            return null;
        }
    }

    /// <summary>Keeps the window's outcome (a copy of its keys and vectors), replacing the oldest.</summary>
    public void Add(IReadOnlyList<EventKey> keys, IReadOnlyList<float[][]> layers, WindowTestOutcome outcome)
    {
        var copy = (keys.ToArray(), layers.Select(l => l.Select(v => (float[])v.Clone()).ToArray()).ToArray(), outcome);
        lock (_gate)
        {
            _ring[_next] = copy;
            _next = (_next + 1) % _ring.Length;
        }
    }

    private static bool Same(EventKey[] keys, float[][][] layers, IReadOnlyList<EventKey> otherKeys, IReadOnlyList<float[][]> otherLayers)
    {
        if (keys.Length != otherKeys.Count || layers.Length != otherLayers.Count) return false;
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] != otherKeys[i]) return false;
        }
        for (var l = 0; l < layers.Length; l++)
        {
            if (layers[l].Length != otherLayers[l].Length) return false;
            for (var i = 0; i < layers[l].Length; i++)
            {
                if (!MemoryMarshal.AsBytes(layers[l][i].AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(otherLayers[l][i].AsSpan())))
                    return false;
            }
        }
        return true;
    }
}
