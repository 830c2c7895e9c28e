using StackExchange.Redis;
using Streaming.Contracts;

namespace Streaming.WindowStore;

/// <summary>
/// Redis key layout of one (model, stream), or of one model's model-wide window, whose stream is the
/// reserved <see cref="WindowScopes.ModelWideStreamId"/> (no client stream can be named so, see
/// <see cref="ValidateIds"/>). Every key of a model carries the hash tag {model}: its stream windows,
/// its model-wide window and the one stored copy of each event share one Redis Cluster slot, so one
/// Lua script run appends an event to both its windows (<see cref="WindowScripts.Append"/>). The two
/// index keys (windows due for a time flush, windows with unpublished entries) are global and
/// therefore never touched inside a script; they are maintained next to it, idempotently (see
/// RedisWindowWriter).
/// </summary>
/// <remarks>
/// Layout: <c>prefix:{model}:stream:</c> then <c>ring</c>, <c>ringts</c>, <c>state</c>, <c>outbox</c>,
/// <c>win:digest</c> (window snapshots), <c>seen:event_id</c> (dedupe marks) and <c>ev:event_id</c>
/// (the event's bytes). The model-wide window has the first five under the stream <c>__model</c>;
/// its ring names events "stream/event_id" and reads them from their stream's <c>ev:</c> keys.
/// Why one tag per model, not per (model, stream): the model-wide window already sends every event
/// of a model to one slot, and with the stream windows under their own tags each event was checked,
/// stored and passed to Redis twice. The price is that a model's stream windows no longer spread over
/// a cluster's nodes: one model's appends are bounded by one Redis node. Window keys from before this
/// layout (<c>prefix:{model/stream}:win:digest</c>) are still read (<see cref="EventKeyOfMember"/>).
/// </remarks>
internal sealed class WindowKeys
{
    private const string WindowMarker = ":win:";
    private const string EventMarker = ":ev:";

    public WindowKeys(string prefix, string model, string stream)
    {
        Model = model;
        Stream = stream;
        // '/' separates model from stream in index members and window ids, so it may not occur in a model.
        Tag = model + "/" + stream;
        ModelBase = $"{prefix}:{{{model}}}:";
        Base = ModelBase + stream;
    }

    public string Model { get; }
    public string Stream { get; }

    /// <summary>The keys of the model's window across all its streams, not of one client stream.</summary>
    public bool IsModelWide => string.Equals(Stream, WindowScopes.ModelWideStreamId, StringComparison.Ordinal);

    public string Scope => IsModelWide ? WindowScopes.Model : WindowScopes.Stream;

    /// <summary>The keys of <paramref name="model"/>'s model-wide window.</summary>
    public static WindowKeys ModelWide(string prefix, string model) => new(prefix, model, WindowScopes.ModelWideStreamId);

    /// <summary>"model/stream": member of the index sets and the prefix of window ids.</summary>
    public string Tag { get; }

    /// <summary>"prefix:{model}:": what every key of the model starts with.</summary>
    public string ModelBase { get; }

    private string Base { get; }

    /// <summary>The dedupe mark of a stream's event: set once, when the event is first applied to its windows.</summary>
    public RedisKey Dedupe(string eventId) => $"{Base}:seen:{eventId}";

    /// <summary>The stored event of a stream, read by its stream window and by its model's model-wide window.</summary>
    public RedisKey Event(string eventId) => $"{Base}{EventMarker}{eventId}";

    /// <summary>A stream window's event keys are this prefix plus the ids in its ring.</summary>
    public string EventKeyPrefix => Base + EventMarker;

    /// <summary>Ids of the last Size events, oldest first.</summary>
    public RedisKey Ring => $"{Base}:ring";

    /// <summary>Serialized timestamps of the ring's events, kept index-aligned with <see cref="Ring"/>.</summary>
    public RedisKey RingTimestamps => $"{Base}:ringts";

    /// <summary>
    /// Hash: count (events since the last window), since (ms of the first of them), seq
    /// (informational window counter), mv (model version). Expires with the ring after EventTtl idle.
    /// </summary>
    public RedisKey State => $"{Base}:state";

    /// <summary>Window snapshots are this prefix plus the digest of their event ids (see <see cref="WindowIds"/>).</summary>
    public string WindowKeyPrefix => Base + WindowMarker;

    public RedisKey Outbox => $"{Base}:outbox";

    public static RedisKey DueIndex(string prefix) => $"{prefix}:index:due";
    public static RedisKey OutboxIndex(string prefix) => $"{prefix}:index:outbox";

    public static WindowKeys FromTag(string prefix, string tag)
    {
        var slash = tag.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
            throw new FormatException($"Index member '{tag}' is not of the form model/stream.");
        return new WindowKeys(prefix, tag[..slash], tag[(slash + 1)..]);
    }

    /// <summary>
    /// How the window snapshot <paramref name="windowKey"/> names its events: the event key of each
    /// entry of its ring. A stream window's are its stream's "ev:" keys, a model-wide window's
    /// ("stream/event_id") those of each member's stream. Built from the key alone, so the reader
    /// needs no settings; a key of the layout before one tag per model ("prefix:{model/stream}:win:digest",
    /// whose events lay under its own tag) is read as then.
    /// </summary>
    public static Func<string, RedisKey> EventKeyOfMember(string windowKey)
    {
        ArgumentNullException.ThrowIfNull(windowKey);
        var marker = windowKey.LastIndexOf(WindowMarker, StringComparison.Ordinal);
        var tagEnd = marker <= 0 ? -1 : windowKey.LastIndexOf('}', marker);
        if (tagEnd <= 0 || windowKey.LastIndexOf('{', tagEnd) < 0)
            throw new ArgumentException($"'{windowKey}' is not a window key (expected '<prefix>:{{model}}:<stream>:win:<digest>').", nameof(windowKey));

        if (!windowKey.AsSpan((tagEnd + 1)..marker).Equals(":" + WindowScopes.ModelWideStreamId, StringComparison.Ordinal))
        {
            // A stream window, or any window of the earlier layout (nothing between its tag and ":win:").
            var prefix = windowKey[..marker] + EventMarker;
            return member => prefix + member;
        }

        var modelBase = windowKey[..(tagEnd + 2)];
        return member => ModelWideEventKey(modelBase, member);
    }

    /// <summary>"prefix:{model}:" + "stream/event_id" → "prefix:{model}:stream:ev:event_id" (stream ids hold no '/').</summary>
    private static string ModelWideEventKey(string modelBase, string member)
    {
        var slash = member.IndexOf('/', StringComparison.Ordinal);
        // A member naming no stream names no event: a key of the empty stream, which nothing writes,
        // so the reader reports it missing instead of failing the window.
        if (slash <= 0)
            return modelBase + ":" + member;
        return string.Concat(modelBase, member.AsSpan(0, slash), EventMarker, member.AsSpan(slash + 1));
    }

    public static void ValidateIds(string model, string stream)
    {
        if (string.IsNullOrEmpty(model))
            throw new ArgumentException("The event header has no model.");
        if (string.IsNullOrEmpty(stream))
            throw new ArgumentException("The event header has no stream_id.");
        if (model.AsSpan().IndexOfAny('{', '}', '/') >= 0)
            throw new ArgumentException($"Model '{model}' may not contain '{{', '}}' or '/' (they delimit Redis hash tags and window ids).");
        if (stream.AsSpan().IndexOfAny("{}:/") >= 0)
            throw new ArgumentException($"Stream id '{stream}' may not contain '{{', '}}', ':' or '/' (they delimit Redis hash tags, key parts and window ids).");
        // The model-wide window lives under a reserved stream id; an event claiming it would write into it directly.
        if (WindowScopes.IsReservedStreamId(stream))
            throw new ArgumentException($"Stream id '{stream}' is reserved: ids starting with '{WindowScopes.ReservedStreamIdPrefix}' name windows the system derives, such as the model-wide '{WindowScopes.ModelWideStreamId}'.");
    }
}
