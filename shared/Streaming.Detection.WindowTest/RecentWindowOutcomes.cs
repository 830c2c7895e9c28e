using Streaming.Detection.Decision;

namespace Streaming.Detection.WindowTest;

/// <summary>
/// The MMD outcomes (and evidence) of the last <see cref="Capacity"/> windows tested against one
/// reference, so that a window holding exactly the same events as one of them is not tested again.
/// That happens whenever a model has one stream: its model-wide window (same size and slide) then
/// holds the same events in the same order as its stream's window, and every window would be tested
/// twice. A window is the same only with the same event keys in the same order and bit-identical
/// vectors, and the test is deterministic (seeded per layer), so the outcome is the one testing it
/// again gives; its <see cref="WindowTestOutcome.Duration"/> is zero (no test ran). The evidence is
/// reused only for the same predicted classes and the same combined MMD p-value, all it depends on
/// besides the vectors. Bounded (a ring of Capacity windows); thread-safe.
/// </summary>
public sealed class RecentWindowOutcomes
{
    private readonly Entry?[] _ring;
    private readonly Lock _gate = new();
    private int _next;
    private long _reused;
    private long _reusedEvidence;

    public RecentWindowOutcomes(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new Entry?[capacity];
    }

    public int Capacity => _ring.Length;

    /// <summary>Windows whose MMD outcome came from a recent one.</summary>
    public long Reused => Interlocked.Read(ref _reused);

    /// <summary>Windows whose evidence came from a recent one.</summary>
    public long ReusedEvidence => Interlocked.Read(ref _reusedEvidence);

    /// <param name="layers">Per reference layer, in reference order, the window's vectors.</param>
    public WindowTestOutcome? Find(IReadOnlyList<EventKey> keys, IReadOnlyList<float[][]> layers)
    {
        lock (_gate)
        {
            if (Match(keys, layers) is not { } entry) return null;
            _reused++;
            return entry.Outcome with { Duration = TimeSpan.Zero };
        }
    }

    /// <summary>
    /// Keeps the window's outcome with a copy of its keys and its vectors themselves (not copied: a prepared
    /// window's vectors are never written once read from its events; copying them per window was 8 % of the
    /// Detector's allocated bytes, all of it kept alive for several windows), replacing the oldest.
    /// </summary>
    /// <param name="layers">Per layer the window's vectors; the caller does not change them afterwards.</param>
    public void Add(IReadOnlyList<EventKey> keys, IReadOnlyList<float[][]> layers, WindowTestOutcome outcome)
    {
        var entry = new Entry([.. keys], [.. layers], outcome);
        lock (_gate)
        {
            _ring[_next] = entry;
            _next = (_next + 1) % _ring.Length;
        }
    }

    /// <summary>The evidence built for the same window with the same classes and combined MMD p-value; null when none is held.</summary>
    public WindowEvidence? FindEvidence(IReadOnlyList<EventKey> keys, IReadOnlyList<float[][]> layers, IReadOnlyList<int?> predictedClasses, double combinedPValue)
    {
        lock (_gate)
        {
            if (Match(keys, layers) is not { Evidence: { } known } entry
                || BitConverter.DoubleToInt64Bits(entry.CombinedPValue) != BitConverter.DoubleToInt64Bits(combinedPValue)
                || !entry.Classes!.SequenceEqual(predictedClasses))
                return null;
            _reusedEvidence++;
            return known;
        }
    }

    /// <summary>
    /// Whether evidence is held for the same window with the same classes, whatever its combined MMD
    /// p-value: <see cref="FindEvidence"/> will then likely answer, so there is nothing to compute ahead.
    /// </summary>
    public bool HoldsEvidence(IReadOnlyList<EventKey> keys, IReadOnlyList<float[][]> layers, IReadOnlyList<int?> predictedClasses)
    {
        lock (_gate)
            return Match(keys, layers) is { Evidence: not null } entry && entry.Classes!.SequenceEqual(predictedClasses);
    }

    /// <summary>Keeps the evidence with the window's entry (when it is still held).</summary>
    public void AddEvidence(IReadOnlyList<EventKey> keys, IReadOnlyList<float[][]> layers, IReadOnlyList<int?> predictedClasses, double combinedPValue, WindowEvidence evidence)
    {
        lock (_gate)
        {
            if (Match(keys, layers) is not { } entry) return;
            (entry.Classes, entry.CombinedPValue, entry.Evidence) = ([.. predictedClasses], combinedPValue, evidence);
        }
    }

    private Entry? Match(IReadOnlyList<EventKey> keys, IReadOnlyList<float[][]> layers)
    {
        foreach (var entry in _ring)
        {
            if (entry is not null && Same(entry.Keys, entry.Layers, keys, layers)) return entry;
        }
        return null;
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
            if (!BitIdentical.Vectors(layers[l], otherLayers[l])) return false;
        }
        return true;
    }

    /// <summary>One window: its keys (a copy) and vectors, its outcome, and once built its evidence with what it was built from. Guarded by the ring's lock.</summary>
    private sealed class Entry(EventKey[] keys, float[][][] layers, WindowTestOutcome outcome)
    {
        public EventKey[] Keys { get; } = keys;

        public float[][][] Layers { get; } = layers;

        public WindowTestOutcome Outcome { get; } = outcome;

        public int?[]? Classes { get; set; }

        public double CombinedPValue { get; set; }

        public WindowEvidence? Evidence { get; set; }
    }
}
