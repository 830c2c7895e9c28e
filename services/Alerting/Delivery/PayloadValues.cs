using Google.Protobuf.WellKnownTypes;

namespace Streaming.Alerting.Delivery;

/// <summary>
/// Turns values of a parsed alert into what JSON can carry, never throwing: a webhook body must be
/// buildable for every alert that parsed, or the alert would be retried at the head of its partition.
/// </summary>
public static class PayloadValues
{
    // The range DateTimeOffset (hence ISO-8601 with a four-digit year) can represent.
    private static readonly long MinSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>The value, or null for NaN and ±Infinity, which JSON has no number for.</summary>
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>
    /// The timestamp as a DateTimeOffset, or null when it is absent or outside what one can hold
    /// (seconds beyond year 1..9999, nanos outside [0, 999 999 999]), where
    /// <see cref="Timestamp.ToDateTimeOffset"/> would throw.
    /// </summary>
    public static DateTimeOffset? Time(Timestamp? timestamp)
    {
        if (timestamp is null) return null;
        if (timestamp.Nanos is < 0 or > 999_999_999) return null;
        if (timestamp.Seconds < MinSeconds || timestamp.Seconds > MaxSeconds) return null;
        var time = DateTimeOffset.FromUnixTimeSeconds(timestamp.Seconds);
        var nanos = TimeSpan.FromTicks(timestamp.Nanos / 100);
        return time <= DateTimeOffset.MaxValue - nanos ? time + nanos : null;
    }
}
