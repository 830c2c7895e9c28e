using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Control.Hosting;
using Streaming.Messaging;

namespace Streaming.Control.RedTeam;

/// <summary>
/// Reads the detections and alerts topics (consumer groups of its own) and keeps every window and window
/// alert that can matter to the run: those of the run's streams, and those of other streams completed after
/// the observer started (model-wide windows). Older history of a shared cluster is skipped, and what is kept
/// is bounded by <see cref="MaxKept"/>.
/// </summary>
public sealed class RedTeamObserver : IDisposable
{
    /// <summary>At most this many windows and as many alerts are kept; further ones are ignored (a red-team run publishes a few hundred).</summary>
    public const int MaxKept = 100_000;

    private readonly string _runPrefix;
    private readonly DateTimeOffset _since;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, ObservedWindow> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ObservedAlert> _alerts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TopicTail _detectionTail;
    private readonly TopicTail _alertTail;
    private int _malformed;

    public RedTeamObserver(KafkaOptions kafka, string runPrefix, TimeSpan clockTolerance, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _runPrefix = runPrefix;
        _time = time;
        _since = time.GetUtcNow() - clockTolerance;
        _detectionTail = new TopicTail(kafka, Topics.Detections, "redteam-detections", RecordDetection);
        _alertTail = new TopicTail(kafka, Topics.Alerts, "redteam-alerts", RecordAlert);
    }

    /// <summary>Messages that were malformed and skipped.</summary>
    public int Malformed => Volatile.Read(ref _malformed);

    public IReadOnlyList<ObservedWindow> Windows()
    {
        lock (_lock) return [.. _windows.Values];
    }

    public IReadOnlyList<ObservedAlert> Alerts()
    {
        lock (_lock) return [.. _alerts.Values];
    }

    private bool Relevant(string stream, DateTimeOffset? lastEventAt) =>
        stream.StartsWith(_runPrefix, StringComparison.Ordinal) || (lastEventAt is { } at && at >= _since);

    /// <summary>The message parsed, or null (counted as malformed) when it is not one.</summary>
    private T? Parse<T>(Google.Protobuf.MessageParser<T> parser, Message<byte[], byte[]> message)
        where T : class, Google.Protobuf.IMessage<T>
    {
        try
        {
            return parser.ParseFrom(message.Value);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            Interlocked.Increment(ref _malformed);
            return null;
        }
    }

    private void RecordDetection(Message<byte[], byte[]> message)
    {
        if (Parse(DetectionResult.Parser, message) is not { } detection) return;

        var stream = detection.Header?.StreamId ?? "";
        var lastEventAt = detection.LastEventTimestamp?.ToDateTimeOffset();
        if (string.IsNullOrEmpty(detection.WindowId) || !Relevant(stream, lastEventAt)) return;
        var now = _time.GetUtcNow();
        var share = double.IsFinite(detection.AttackShare) ? detection.AttackShare : 0;
        lock (_lock)
        {
            // A window re-tested after a crash is published again with the same id: keep the first.
            if (_windows.Count >= MaxKept || _windows.ContainsKey(detection.WindowId)) return;
            _windows[detection.WindowId] = new ObservedWindow(detection.WindowId, stream, detection.Alert, share, now, lastEventAt);
        }
    }

    private void RecordAlert(Message<byte[], byte[]> message)
    {
        if (Parse(Alert.Parser, message) is not { } alert) return;

        var stream = alert.Header?.StreamId ?? "";
        var lastEventAt = alert.LastEventTimestamp?.ToDateTimeOffset();
        // Online-mode alerts have no window: the red team scores window alerts.
        if (string.IsNullOrEmpty(alert.WindowId) || !Relevant(stream, lastEventAt)) return;
        var now = _time.GetUtcNow();
        var flagged = AlertEvidence.FlaggedEventIds(alert);
        lock (_lock)
        {
            if (_alerts.Count >= MaxKept || _alerts.ContainsKey(alert.WindowId)) return;
            _alerts[alert.WindowId] = new ObservedAlert(alert.WindowId, stream, flagged, now, lastEventAt);
        }
    }

    public void Dispose()
    {
        _detectionTail.Dispose();
        _alertTail.Dispose();
    }
}
