using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Streaming.WindowStore;

/// <summary>
/// The W3C trace context (traceparent, tracestate) of the event that completed a window, kept with
/// its outbox entry so the windows message is produced in the same trace. The scripts store it as
/// the fields tp and ts of the entry (<see cref="OutboxRecord"/>). Entries written before that format
/// carry it in an envelope before the WindowReady bytes: byte 0, version 1, a 2-byte big-endian
/// length and the traceparent, the same for the tracestate, then the WindowReady
/// (<see cref="TryUnwrap"/> reads them); an old entry that does not start with byte 0 is a bare WindowReady.
/// </summary>
/// <remarks>
/// Trace context is a courtesy, never a reason not to publish: a context that is not well-formed
/// or longer than <see cref="MaxChars"/> is not stored, and one read back in that state is dropped
/// while its window is still published.
/// </remarks>
internal static class OutboxTrace
{
    /// <summary>Longest traceparent or tracestate kept (a traceparent is 55 chars; W3C caps tracestate at 512).</summary>
    public const int MaxChars = 512;

    private const byte Marker = 0;
    private const byte Version = 1;

    /// <summary>The current activity's traceparent and tracestate, or empty strings when there is none fit to keep.</summary>
    public static (string Parent, string State) Capture()
    {
        var activity = Activity.Current;
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C || !IsValid(activity.Id, null))
            return ("", "");
        var parent = activity.Id!;
        var state = activity.TraceStateString ?? "";
        return IsValid(parent, state) ? (parent, state) : (parent, "");
    }

    /// <summary>
    /// Splits an entry of the format before <see cref="OutboxRecord"/> into its WindowReady bytes and trace context (null where it has none
    /// or it is not fit to use). False only when the entry starts an envelope that is cut short or
    /// of an unknown version: then the WindowReady inside cannot be found.
    /// </summary>
    public static bool TryUnwrap(byte[] stored, [NotNullWhen(true)] out byte[]? payload, out string? parent, out string? state, [NotNullWhen(false)] out string? error)
    {
        (parent, state, error) = (null, null, null);
        if (stored.Length == 0 || stored[0] != Marker)
        {
            payload = stored;
            return true;
        }

        payload = null;
        ReadOnlySpan<byte> rest = stored.AsSpan(1);
        if (rest.Length < 1 || rest[0] != Version)
        {
            error = "its trace envelope has an unknown version";
            return false;
        }

        rest = rest[1..];
        if (!TryReadField(ref rest, out var rawParent) || !TryReadField(ref rest, out var rawState))
        {
            error = "its trace envelope is cut short";
            return false;
        }

        payload = rest.ToArray();
        (parent, state) = Keep(rawParent, rawState);
        return true;
    }

    /// <summary>The stored traceparent and tracestate fit to use: both, the traceparent alone when the tracestate is not, or neither.</summary>
    public static (string? Parent, string? State) Keep(string? parent, string? state)
    {
        var candidateState = string.IsNullOrEmpty(state) ? null : state;
        if (IsValid(parent, candidateState))
            return (parent, candidateState);
        return IsValid(parent, null) ? (parent, null) : (null, null);
    }

    private static bool TryReadField(ref ReadOnlySpan<byte> rest, out string value)
    {
        value = "";
        if (rest.Length < 2) return false;
        var length = BinaryPrimitives.ReadUInt16BigEndian(rest);
        if (rest.Length < 2 + length) return false;
        // Latin-1 keeps every byte one char, so a non-ASCII byte fails IsValid rather than vanishing.
        value = Encoding.Latin1.GetString(rest.Slice(2, length));
        rest = rest[(2 + length)..];
        return true;
    }

    /// <summary>A traceparent that parses as W3C and, when given, a tracestate, both printable ASCII of at most <see cref="MaxChars"/>.</summary>
    private static bool IsValid(string? parent, string? state) =>
        parent is { Length: > 0 and <= MaxChars } && IsPrintableAscii(parent)
        && (state is null || (state.Length <= MaxChars && IsPrintableAscii(state)))
        && ActivityContext.TryParse(parent, state, out _);

    private static bool IsPrintableAscii(string s)
    {
        foreach (var c in s)
        {
            if (c is < ' ' or > '~') return false;
        }

        return true;
    }
}
