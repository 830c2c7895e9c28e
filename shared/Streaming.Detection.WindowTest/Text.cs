namespace Streaming.Detection.WindowTest;

public static class Text
{
    /// <summary>
    /// At most <paramref name="maxLength"/> characters of a value taken from an event (an id, a model
    /// name), so a hostile 400 KB name cannot make a dead-letter reason or a log line larger than Kafka accepts.
    /// </summary>
    public static string Shorten(string? value, int maxLength = 200) =>
        value is null ? "" : value.Length <= maxLength ? value : string.Concat(value.AsSpan(0, maxLength), $"…({value.Length} chars)");
}
