using StackExchange.Redis;
using Streaming.Contracts;

namespace Streaming.WindowStore;

/// <summary>
/// Redis key layout of one (model, stream), or of one model's model-wide window, whose stream is the
/// reserved <see cref="WindowScopes.ModelWideStreamId"/> (no client stream can be named so, see
/// <see cref="ValidateIds"/>). Every key carries the hash tag {model/stream}, so all
/// keys one Lua script touches live in the same Redis Cluster slot. The two index keys (streams
/// due for a time flush, streams with unpublished windows) are global and therefore never touched
/// inside a script; they are maintained next to it, idempotently (see RedisWindowWriter).
/// </summary>
internal sealed class WindowKeys
{
    private const string WindowMarker = ":win:";
    private const string EventMarker = ":ev:";

    public WindowKeys(string prefix, string model, string stream)
    {
        Model = model;
        Stream = stream;
        // '/' separates model from stream in the tag and the window id, so it may not occur in a model.
        Tag = model + "/" + stream;
        Base = $"{prefix}:{{{Tag}}}";
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

    private string Base { get; }

    public RedisKey Dedupe(string eventId) => $"{Base}:seen:{eventId}";
    public RedisKey Event(string eventId) => $"{Base}{EventMarker}{eventId}";
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

    /// <summary>Maps "prefix:{tag}:win:7" to "prefix:{tag}:ev:" so a window's event keys can be built from its key alone.</summary>
    public static string EventKeyPrefixOfWindow(string windowKey)
    {
        var marker = windowKey.LastIndexOf(WindowMarker, StringComparison.Ordinal);
        if (marker <= 0)
            throw new ArgumentException($"'{windowKey}' is not a window key (expected '<prefix>:{{model/stream}}:win:<digest>').", nameof(windowKey));
        return windowKey[..marker] + EventMarker;
    }

    public static void ValidateIds(string model, string stream)
    {
        if (string.IsNullOrEmpty(model))
            throw new ArgumentException("The event header has no model.");
        if (string.IsNullOrEmpty(stream))
            throw new ArgumentException("The event header has no stream_id.");
        if (model.AsSpan().IndexOfAny('{', '}', '/') >= 0)
            throw new ArgumentException($"Model '{model}' may not contain '{{', '}}' or '/' (they delimit Redis hash tags and window ids).");
        if (stream.AsSpan().IndexOfAny('{', '}') >= 0)
            throw new ArgumentException($"Stream id '{stream}' may not contain '{{' or '}}' (they delimit Redis hash tags).");
        // The model-wide window lives under a reserved stream id; an event claiming it would write into it directly.
        if (WindowScopes.IsReservedStreamId(stream))
            throw new ArgumentException($"Stream id '{stream}' is reserved: ids starting with '{WindowScopes.ReservedStreamIdPrefix}' name windows the system derives, such as the model-wide '{WindowScopes.ModelWideStreamId}'.");
    }
}
