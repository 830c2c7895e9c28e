using Streaming.Contracts;

namespace Streaming.WindowStore;

/// <summary>
/// Events parsed from their stored bytes, by their Redis key, for about the <see cref="Capacity"/> most recently
/// read. Every event is in about four windows (two of its stream at slide = size/2, two of its model's), and the
/// Detector read and parsed it for each: a hit needs the same key and byte-identical bytes, so it is the event
/// parsing again gives, and the windows holding it share one parsed instance (which no reader changes). Bounded
/// by two generations of at most Capacity/2 events each: when the current one is full the older is dropped, so
/// an event read again within about Capacity/2 distinct events is always found. Thread-safe.
/// </summary>
public sealed class ParsedEventCache
{
    private readonly int _generation;
    private readonly Lock _gate = new();
    private Dictionary<string, Entry> _current;
    private Dictionary<string, Entry> _previous;
    private long _hits;
    private long _misses;

    public ParsedEventCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        Capacity = capacity;
        _generation = capacity / 2;
        _current = new Dictionary<string, Entry>(_generation, StringComparer.Ordinal);
        _previous = new Dictionary<string, Entry>(StringComparer.Ordinal);
    }

    public int Capacity { get; }

    /// <summary>Events held now (at most <see cref="Capacity"/>).</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _current.Count + _previous.Count;
        }
    }

    /// <summary>Reads answered without parsing.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Reads parsed (absent, dropped, or other bytes under the same key).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The event the bytes hold: the instance parsed earlier from the same bytes under the same key, else parsed now.</summary>
    /// <exception cref="Google.Protobuf.InvalidProtocolBufferException">The bytes are not an event (nothing is kept).</exception>
    public ActivationEvent Parse(string key, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(bytes);
        lock (_gate)
        {
            bool current = _current.TryGetValue(key, out var entry);
            if ((current || _previous.TryGetValue(key, out entry)) && entry!.Bytes.AsSpan().SequenceEqual(bytes))
            {
                _hits++;
                if (!current) Keep(key, entry);
                return entry.Event;
            }
        }

        // Parsed outside the lock: windows read together parse their events in parallel.
        var parsed = ActivationEvent.Parser.ParseFrom(bytes);
        lock (_gate)
        {
            _misses++;
            Keep(key, new Entry(bytes, parsed));
        }
        return parsed;
    }

    private void Keep(string key, Entry entry)
    {
        if (_current.Count >= _generation && !_current.ContainsKey(key))
        {
            (_previous, _current) = (_current, _previous);
            _current.Clear();
        }
        _current[key] = entry;
    }

    private sealed record Entry(byte[] Bytes, ActivationEvent Event);
}
