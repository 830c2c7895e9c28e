namespace Streaming.Detector.References;

/// <summary>
/// The periodic log line of windows left untested for want of a reference: one line per model
/// version and status at most every interval, with the count since the previous one, so a model
/// without a reference costs a line a minute, not one per window.
/// </summary>
public sealed partial class WithoutReferenceLog(TimeSpan interval, TimeProvider time, ILogger logger)
{
    // Model versions come from events: bounded, so a flood of made-up versions cannot grow it.
    private const int MaxTracked = 1024;
    private readonly Dictionary<(string Model, string Version, string Status), (DateTimeOffset LoggedAt, long Count)> _pending = [];

    public void Note(string model, string version, string status)
    {
        var key = (model, version, status);
        var now = time.GetUtcNow();
        if (!_pending.TryGetValue(key, out var entry))
        {
            if (_pending.Count >= MaxTracked) _pending.Clear();
            entry = (DateTimeOffset.MinValue, 0);
        }
        entry.Count++;
        if (now - entry.LoggedAt >= interval)
        {
            LogWithoutReference(entry.Count, model, version, status, Hint(status));
            entry = (now, 0);
        }
        _pending[key] = entry;
    }

    private static string Hint(string status) => status == Detection.WindowTest.DetectionStatus.Uncalibrated
        ? "no active reference for this model version: publish one with `control calibrate --publish` and `control references activate`"
        : "its active reference failed to load (see the error above)";

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} window(s) of model {Model} version {Version} not tested, status {Status}: {Hint}")]
    private partial void LogWithoutReference(long count, string model, string version, string status, string hint);
}
