namespace Streaming.Control.Replay;

/// <summary>One end of a replay range: a timestamp, or an offset applied to every partition.</summary>
public sealed record ReplayBoundary(DateTimeOffset? Timestamp, long? Offset)
{
    public static ReplayBoundary? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (long.TryParse(text, out var offset))
        {
            if (offset < 0) throw new ArgumentException($"Offset {offset} is negative.");
            return new ReplayBoundary(null, offset);
        }

        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var timestamp))
            return new ReplayBoundary(timestamp, null);
        throw new ArgumentException($"'{text}' is neither an offset (a whole number) nor a timestamp (ISO 8601, e.g. 2026-11-24T09:00:00Z).");
    }
}
