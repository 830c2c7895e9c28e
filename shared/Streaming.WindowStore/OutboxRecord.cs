using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Streaming.Contracts;

namespace Streaming.WindowStore;

/// <summary>
/// An outbox entry as the window scripts store it: the plain facts of one window, from which
/// <see cref="TryRead"/> builds its WindowReady with the generated class, so the message's schema
/// lives only in window.proto. Model, stream, scope, window key and window id follow from the
/// outbox's keys (<see cref="WindowKeys"/>) and the digest; the schema version is the reader's.
/// </summary>
/// <remarks>
/// Format: <c>"w1\n"</c>, then fields <c>name:length:value\n</c> (length: the value's bytes in
/// decimal, so a value may hold any byte), in any order; empty fields are left out, unknown ones
/// skipped. Fields: id (the WindowReady header's event id, a new UUID per entry, which also makes
/// every entry unique for the ack's LREM), created (window creation time, 100 ns ticks since the
/// Unix epoch), digest (of the window's event ids, <see cref="WindowIds"/>), seq, size, trigger
/// ("count" or "time"), mv (model version), first and last (the google.protobuf.Timestamp of the
/// window's first and last event as the append stored it, bytes the C# side serialized), tp and ts
/// (W3C traceparent and tracestate of the event that completed the window, see <see cref="OutboxTrace"/>).
/// Entries written before this format (a bare WindowReady, or one after a trace envelope) are still
/// read: neither can start with 'w' (0x77 would be field 14 with wire type 7, which does not exist;
/// an envelope starts with byte 0).
/// </remarks>
internal static class OutboxRecord
{
    /// <summary>
    /// In Lua, <c>field(name, value)</c>: one field of the format above, or nothing for an empty or
    /// missing (false) value; <c>record(fields)</c>: an entry of those fields. The marker is
    /// <see cref="Marker"/>'s.
    /// </summary>
    public const string LuaFunctions = """
        local function field(name, value)
          if not value or value == '' then return '' end
          return name .. ':' .. #value .. ':' .. value .. '\n'
        end
        local function record(fields)
          return 'w1\n' .. fields
        end

        """;

    private const byte FormatLetter = (byte)'w';

    private static ReadOnlySpan<byte> Marker => "w1\n"u8;

    /// <summary>Reads a stored entry of either format; false (with the reason) when it holds no window.</summary>
    public static bool TryRead(string outboxKey, WindowKeys keys, byte[] stored, [NotNullWhen(true)] out OutboxEntry? entry, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(stored);
        entry = null;
        if (stored.Length > 0 && stored[0] == FormatLetter)
        {
            if (!TryReadRecord(stored, keys, out var window, out var parent, out var state, out error))
                return false;
            entry = new OutboxEntry(outboxKey, window.ToByteArray(), window) { Stored = stored, TraceParent = parent, TraceState = state };
            return true;
        }

        // Written before the plain-fields format (at most EventTtl ago): the WindowReady bytes themselves.
        if (!OutboxTrace.TryUnwrap(stored, out var windowBytes, out var oldParent, out var oldState, out error)
            || !TryParseWindow(windowBytes, out var oldWindow, out error))
            return false;
        entry = new OutboxEntry(outboxKey, windowBytes, oldWindow) { Stored = stored, TraceParent = oldParent, TraceState = oldState };
        return true;
    }

    private static bool TryReadRecord(byte[] stored, WindowKeys keys, [NotNullWhen(true)] out WindowReady? window, out string? parent, out string? state, [NotNullWhen(false)] out string? error)
    {
        (window, parent, state) = (null, null, null);
        if (!stored.AsSpan().StartsWith(Marker))
        {
            error = "its format version is unknown";
            return false;
        }

        if (!TrySplit(stored.AsSpan(Marker.Length), out var fields, out error))
            return false;

        var id = Text(fields, "id");
        var digest = Text(fields, "digest");
        var trigger = Text(fields, "trigger");
        if (id.Length == 0 || digest.Length == 0 || trigger.Length == 0)
        {
            error = "it has no id, digest or trigger";
            return false;
        }

        if (!ulong.TryParse(Text(fields, "seq"), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            || !uint.TryParse(Text(fields, "size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || !long.TryParse(Text(fields, "created"), NumberStyles.None, CultureInfo.InvariantCulture, out var createdTicks)
            || createdTicks > DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks)
        {
            error = "its seq, size or created is not a number";
            return false;
        }

        if (!TryTimestamp(fields, "first", out var first, out error) || !TryTimestamp(fields, "last", out var last, out error))
            return false;

        (parent, state) = OutboxTrace.Keep(Latin1(fields, "tp"), Latin1(fields, "ts"));
        window = new WindowReady
        {
            Header = new EventHeader
            {
                SchemaVersion = SchemaVersions.Current,
                EventId = id,
                Model = keys.Model,
                ModelVersion = Text(fields, "mv"),
                StreamId = keys.Stream,
                Timestamp = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddTicks(createdTicks)),
            },
            WindowId = keys.Tag + "/" + digest,
            Sequence = seq,
            WindowKey = keys.WindowKeyPrefix + digest,
            Size = size,
            Trigger = trigger,
            LastEventTimestamp = last,
            FirstEventTimestamp = first,
            Scope = keys.Scope,
        };
        return true;
    }

    private static bool TrySplit(ReadOnlySpan<byte> rest, out Dictionary<string, byte[]> fields, [NotNullWhen(false)] out string? error)
    {
        fields = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (!rest.IsEmpty)
        {
            var colon = rest.IndexOf((byte)':');
            if (colon <= 0)
            {
                error = "a field has no name";
                return false;
            }

            var name = Encoding.ASCII.GetString(rest[..colon]);
            rest = rest[(colon + 1)..];
            colon = rest.IndexOf((byte)':');
            if (colon <= 0 || !int.TryParse(rest[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                error = $"its field '{name}' has no length";
                return false;
            }

            rest = rest[(colon + 1)..];
            if (rest.Length <= length || rest[length] != (byte)'\n')
            {
                error = $"its field '{name}' is cut short";
                return false;
            }

            fields[name] = rest[..length].ToArray();
            rest = rest[(length + 1)..];
        }

        error = null;
        return true;
    }

    private static bool TryTimestamp(Dictionary<string, byte[]> fields, string name, out Timestamp? timestamp, [NotNullWhen(false)] out string? error)
    {
        (timestamp, error) = (null, null);
        if (!fields.TryGetValue(name, out var bytes)) return true;
        try
        {
            timestamp = Timestamp.Parser.ParseFrom(bytes);
            return true;
        }
        catch (InvalidProtocolBufferException ex)
        {
            error = $"its field '{name}' is not a timestamp: {ex.Message}";
            return false;
        }
    }

    private static string Text(Dictionary<string, byte[]> fields, string name) =>
        fields.TryGetValue(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : "";

    /// <summary>Latin-1 keeps every byte one char, so a non-ASCII byte fails the trace context's check rather than vanishing.</summary>
    private static string? Latin1(Dictionary<string, byte[]> fields, string name) =>
        fields.TryGetValue(name, out var bytes) ? Encoding.Latin1.GetString(bytes) : null;

    private static bool TryParseWindow(byte[] bytes, [NotNullWhen(true)] out WindowReady? window, [NotNullWhen(false)] out string? error)
    {
        try
        {
            window = WindowReady.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            (window, error) = (null, ex.Message);
            return false;
        }

        // Anything parses as an empty message; the old script always wrote an id, a key and a header.
        if (string.IsNullOrEmpty(window.WindowId) || string.IsNullOrEmpty(window.WindowKey) || window.Header is null)
        {
            (window, error) = (null, "it has no window id, window key or header");
            return false;
        }

        error = null;
        return true;
    }
}
