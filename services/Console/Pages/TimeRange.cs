using System.Globalization;

namespace Streaming.Console.Pages;

/// <summary>
/// The time filter of a page: "from" and "to" as ISO 8601 times (a time without an offset, as a
/// datetime-local field sends it, is UTC). Either may be empty.
/// </summary>
public sealed record TimeRange(DateTimeOffset? From, DateTimeOffset? To)
{
    public long? FromMs => From?.ToUnixTimeMilliseconds();

    public long? ToMs => To?.ToUnixTimeMilliseconds();

    /// <returns>Null and an error naming the field when a value is not a time.</returns>
    public static TimeRange? Parse(string? from, string? to, out string? error)
    {
        error = null;
        DateTimeOffset? start = null, end = null;
        if (!string.IsNullOrWhiteSpace(from))
        {
            if (!TryParse(from, out var value)) { error = $"from '{from}' is not a time (ISO 8601, e.g. 2026-01-31T12:00)."; return null; }
            start = value;
        }

        if (!string.IsNullOrWhiteSpace(to))
        {
            if (!TryParse(to, out var value)) { error = $"to '{to}' is not a time (ISO 8601, e.g. 2026-01-31T13:00)."; return null; }
            end = value;
        }

        return new TimeRange(start, end);
    }

    /// <summary>The value of a datetime-local field.</summary>
    public static string Field(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) ?? "";

    private static bool TryParse(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
}
