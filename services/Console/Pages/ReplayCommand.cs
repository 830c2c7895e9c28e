using System.Globalization;
using Streaming.Console.History;
using Streaming.Contracts;

namespace Streaming.Console.Pages;

/// <summary>
/// The `control replay` command that re-runs an alert's range offline: its model and stream, from
/// <c>lookback</c> before its last event (a window's first event is not on the alert) to one second after it.
/// </summary>
public static class ReplayCommand
{
    public static string For(AlertRecord alert, string bootstrapServers, TimeSpan lookback)
    {
        var last = DateTimeOffset.FromUnixTimeMilliseconds(alert.LastEventTime ?? alert.Time);
        var parts = new List<string> { "control", "replay", "--bootstrap", Quote(bootstrapServers), "--model", Quote(alert.Model) };
        if (alert.Stream != WindowScopes.ModelWideStreamId)
        {
            parts.Add("--stream");
            parts.Add(Quote(alert.Stream));
        }

        parts.AddRange(["--from", Iso(last - lookback), "--to", Iso(last.AddSeconds(1))]);
        return string.Join(' ', parts);
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>POSIX shell single quotes; a quote inside becomes '\''.</summary>
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
