using StackExchange.Redis;
using Streaming.Contracts;

namespace Streaming.WindowStore;

/// <summary>
/// Reads the events of a window that <see cref="RedisWindowWriter"/> stored, by the window key a
/// WindowReady names: all the Detector needs of the window store. It reads no window settings, so
/// the reader needs none; a window's snapshot and events live for WindowStore:EventTtl.
/// </summary>
public sealed class RedisWindowReader
{
    private readonly IDatabase _db;

    /// <param name="parsedEvents">Events parsed once for every window that holds them; null parses every read.</param>
    public RedisWindowReader(IConnectionMultiplexer redis, ParsedEventCache? parsedEvents = null)
        : this(redis?.GetDatabase() ?? throw new ArgumentNullException(nameof(redis)), parsedEvents)
    {
    }

    /// <param name="parsedEvents">Events parsed once for every window that holds them; null parses every read.</param>
    public RedisWindowReader(IDatabase database, ParsedEventCache? parsedEvents = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        ParsedEvents = parsedEvents;
    }

    /// <summary>The cache of parsed events; null when every read parses.</summary>
    public ParsedEventCache? ParsedEvents { get; }

    /// <summary>
    /// The window's events in arrival order. Events whose TTL ran out are listed in
    /// <see cref="WindowContents.MissingEventIds"/> instead of failing the read. With a
    /// <see cref="ParsedEventCache"/>, windows holding the same stored event share its parsed instance: do not change it.
    /// </summary>
    public async Task<WindowContents> ReadWindowAsync(string windowKey, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(windowKey);
        ct.ThrowIfCancellationRequested();
        var eventKeyOf = WindowKeys.EventKeyOfMember(windowKey);
        var ids = await _db.ListRangeAsync(windowKey).ConfigureAwait(false);
        if (ids.Length == 0)
            return new WindowContents(windowKey, Found: false, [], []);

        var members = Array.ConvertAll(ids, id => id.ToString());
        var eventKeys = Array.ConvertAll(members, eventKeyOf.Invoke);
        var values = await _db.StringGetAsync(eventKeys).ConfigureAwait(false);

        var events = new List<ActivationEvent>(ids.Length);
        var missing = new List<string>();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].IsNull)
            {
                missing.Add(members[i]);
                continue;
            }

            var bytes = (byte[])values[i]!;
            events.Add(ParsedEvents is { } parsed ? parsed.Parse((string)eventKeys[i]!, bytes) : ActivationEvent.Parser.ParseFrom(bytes));
        }

        return new WindowContents(windowKey, Found: true, events, missing);
    }
}
