using System.Security.Cryptography;
using System.Text;

namespace Streaming.WindowStore;

/// <summary>
/// Window ids are derived from what a window holds: "model/stream/" plus the first
/// <see cref="DigestHexDigits"/> hex digits of SHA-1 over its event ids in order (each written as
/// "&lt;UTF-8 byte length&gt;:&lt;id&gt;", so no choice of ids can make two lists encode alike).
/// The window script computes the same with redis.sha1hex; this is the C# side for offline
/// replay and for tests.
/// </summary>
/// <remarks>
/// Why not a counter: a counter lives in Redis, and after Redis loses its last writes (restart from
/// a snapshot, failover, FLUSHALL) it issues an old id again for different events; alert ids are
/// built from window ids, so a receiver that de-duplicates would drop a new attack. A digest of the
/// contents repeats only for the same contents (a replay), which is exactly when a repeat is wanted.
/// SHA-1 is used as a fingerprint, not for security; 128 bits make an accidental collision between
/// two windows of one stream negligible.
/// </remarks>
public static class WindowIds
{
    public const int DigestHexDigits = 32;

    /// <summary>The id of the window of (<paramref name="model"/>, <paramref name="stream"/>) holding exactly these events in this order.</summary>
    public static string Of(string model, string stream, IEnumerable<string> eventIds) =>
        $"{model}/{stream}/{Digest(eventIds)}";

    /// <summary>
    /// The id of <paramref name="model"/>'s model-wide window holding exactly these events in this
    /// order: "model/__model/" plus the digest over their members (<see cref="ModelWideMember"/>).
    /// A model-wide window never shares an id with a stream window, even over the same events:
    /// no client stream may be named "__model".
    /// </summary>
    public static string OfModel(string model, IEnumerable<(string Stream, string EventId)> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return Of(model, Contracts.WindowScopes.ModelWideStreamId, events.Select(e => ModelWideMember(e.Stream, e.EventId)));
    }

    /// <summary>
    /// How a model-wide window names an event: "stream/event_id". Event ids are unique per
    /// (model, stream) like the stream windows' dedupe, so two streams' events with the same id stay
    /// two events (an attacker cannot hide an input behind another stream's event id). Stream ids
    /// contain no '/', so the first '/' splits a member unambiguously.
    /// </summary>
    public static string ModelWideMember(string stream, string eventId) => stream + "/" + eventId;

    public static string Digest(IEnumerable<string> eventIds)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        foreach (var id in eventIds)
        {
            var bytes = Encoding.UTF8.GetBytes(id);
            hash.AppendData(Encoding.ASCII.GetBytes(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":"));
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..DigestHexDigits];
    }
}
