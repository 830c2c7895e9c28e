using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Control.Hosting;
using Streaming.Messaging;

namespace Streaming.Control.Demo;

/// <summary>
/// Reads the detections topic (its own consumer group) and counts windows and alerts per stream, and per
/// model and stream (two models may share a stream id, and each has its own model-wide stream "__model").
/// </summary>
public sealed class DetectionCollector : IDisposable
{
    private readonly TopicTail _tail;
    // A window re-tested after a crash is published twice with the same id; count it once.
    private readonly HashSet<string> _seen = [];
    private readonly Dictionary<string, StreamCounts> _counts = [];
    private readonly Dictionary<string, List<DetectionTiming>> _timings = [];
    private readonly Dictionary<string, DateTimeOffset> _firstAlert = [];
    private readonly Dictionary<string, DateTimeOffset> _lastDetection = [];
    private readonly Dictionary<(string Model, string Stream), StreamCounts> _modelCounts = [];
    // Bounded by the references a run activates (one or two per model in the demo).
    private readonly Dictionary<string, SortedSet<string>> _referenceIds = [];

    public DetectionCollector(KafkaOptions kafka, string topic)
    {
        _tail = new TopicTail(kafka, topic, "demo-collector", Record);
    }

    public StreamCounts CountsFor(string stream)
    {
        lock (_counts)
            return _counts.TryGetValue(stream, out var counts) ? counts : new StreamCounts(0, 0);
    }

    /// <summary>Windows and alerts of <paramref name="stream"/> of model <paramref name="model"/>.</summary>
    public StreamCounts CountsFor(string model, string stream)
    {
        lock (_counts)
            return _modelCounts.TryGetValue((model, stream), out var counts) ? counts : new StreamCounts(0, 0);
    }

    /// <summary>The reference ids the model's windows were tested against (empty for windows tested against a file, or not tested).</summary>
    public IReadOnlyList<string> ReferenceIds(string model)
    {
        lock (_counts)
            return _referenceIds.TryGetValue(model, out var ids) ? [.. ids] : [];
    }

    /// <summary>Per window: arrival of its detection here minus the timestamp of the event that completed it.</summary>
    public IReadOnlyList<double> DetectionLatenciesMs(string stream) => Timings(stream).Select(t => t.TotalMs).ToList();

    /// <summary>Per window of the stream, in arrival order: when its detection passed each point (windows whose completing event carries a timestamp).</summary>
    public IReadOnlyList<DetectionTiming> Timings(string stream)
    {
        lock (_counts)
            return _timings.TryGetValue(stream, out var list) ? list.ToList() : [];
    }

    /// <summary>When the first alerting detection of the stream arrived here.</summary>
    public DateTimeOffset? FirstAlert(string stream)
    {
        lock (_counts)
            return _firstAlert.TryGetValue(stream, out var at) ? at : null;
    }

    /// <summary>When the latest detection of the stream arrived here.</summary>
    public DateTimeOffset? LastDetection(string stream)
    {
        lock (_counts)
            return _lastDetection.TryGetValue(stream, out var at) ? at : null;
    }

    /// <summary>Waits until <paramref name="stream"/> of model <paramref name="model"/> has at least <paramref name="windows"/> distinct windows tested.</summary>
    public async Task<bool> WaitForWindowsAsync(string model, string stream, int windows, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (CountsFor(model, stream).Windows >= windows) return true;
            await Task.Delay(100, cancellationToken);
        }

        return false;
    }

    /// <summary>Waits until the stream has at least <paramref name="windows"/> distinct windows tested.</summary>
    public async Task<bool> WaitForWindowsAsync(string stream, int windows, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (CountsFor(stream).Windows >= windows) return true;
            await Task.Delay(100, cancellationToken);
        }

        return false;
    }

    private void Record(Message<byte[], byte[]> message)
    {
        var detection = DetectionResult.Parser.ParseFrom(message.Value);
        var arrived = DateTimeOffset.UtcNow;
        lock (_counts)
        {
            if (!_seen.Add(detection.WindowId)) return;
            var stream = detection.Header.StreamId;
            if (!_timings.TryGetValue(stream, out var timings))
                _timings[stream] = timings = [];
            if (detection.LastEventTimestamp is not null)
            {
                var detected = detection.Header.Timestamp?.ToDateTimeOffset() ?? arrived;
                timings.Add(new DetectionTiming(detection.WindowId, detection.LastEventTimestamp.ToDateTimeOffset(), detected, arrived, detection.TestDurationMs));
            }
            if (detection.Alert) _firstAlert.TryAdd(stream, arrived);
            _lastDetection[stream] = arrived;
            var current = _counts.TryGetValue(stream, out var c) ? c : new StreamCounts(0, 0);
            _counts[stream] = new StreamCounts(current.Windows + 1, current.Alerts + (detection.Alert ? 1 : 0));
            var key = (detection.Header.Model, stream);
            var ofModel = _modelCounts.TryGetValue(key, out var m) ? m : new StreamCounts(0, 0);
            _modelCounts[key] = new StreamCounts(ofModel.Windows + 1, ofModel.Alerts + (detection.Alert ? 1 : 0));
            if (detection.ReferenceId.Length > 0)
            {
                if (!_referenceIds.TryGetValue(detection.Header.Model, out var ids))
                    _referenceIds[detection.Header.Model] = ids = new SortedSet<string>(StringComparer.Ordinal);
                ids.Add(detection.ReferenceId);
            }
        }
    }

    public void Dispose() => _tail.Dispose();
}
