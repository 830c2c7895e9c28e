namespace Streaming.Control.LoadTest;

/// <summary>A stretch of the load test: its own stream, duration and share of attacked images.</summary>
public sealed record LoadPhase(string Name, TimeSpan Duration, double AttackShare, double Rate)
{
    public string Stream => "load-" + Name;

    /// <summary>The phase's streams: its <see cref="Stream"/> alone, or that name numbered ("load-flood-0" …) when there are several.</summary>
    public IReadOnlyList<string> StreamsOf(int count) =>
        count == 1 ? [Stream] : [.. Enumerable.Range(0, count).Select(k => $"{Stream}-{k}")];

    /// <summary>Parses "name:seconds:attackShare[:rate]", e.g. "clean:20:0" or "attack:20:1:150".</summary>
    public static LoadPhase Parse(string text, double defaultRate)
    {
        var parts = text.Split(':');
        if (parts.Length is < 3 or > 4
            || !double.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds <= 0
            || !double.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out var share) || share is < 0 or > 1)
            throw new ArgumentException($"Phase '{text}' must be name:seconds:attackShare[:rate] with seconds > 0 and attackShare in [0, 1], e.g. attack:20:0.5.");
        var rate = defaultRate;
        if (parts.Length == 4 && (!double.TryParse(parts[3], System.Globalization.CultureInfo.InvariantCulture, out rate) || rate <= 0))
            throw new ArgumentException($"Phase '{text}': rate must be a positive number of images per second.");
        if (!System.Text.RegularExpressions.Regex.IsMatch(parts[0], "^[A-Za-z0-9_-]{1,40}$"))
            throw new ArgumentException($"Phase name '{parts[0]}' must be 1-40 letters, digits, '_' or '-'.");
        return new LoadPhase(parts[0], TimeSpan.FromSeconds(seconds), share, rate);
    }
}
