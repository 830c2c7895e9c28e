using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.Control.Demo;

/// <summary>Reads the detections topic (its own consumer group) and counts windows and alerts per stream.</summary>
public sealed class DetectionCollector : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, StreamCounts> _counts = [];
    private readonly Dictionary<string, List<double>> _latencies = [];
    private readonly Dictionary<string, DateTimeOffset> _firstAlert = [];
    private readonly Task _loop;

    public DetectionCollector(KafkaOptions kafka, string topic)
    {
        var config = KafkaClientConfigs.Consumer(kafka, "demo-collector", "demo-collector-" + Guid.NewGuid().ToString("N"));
        _consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        _consumer.Subscribe(topic);
        _loop = Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);
    }

    public StreamCounts CountsFor(string stream)
    {
        lock (_counts)
            return _counts.TryGetValue(stream, out var counts) ? counts : new StreamCounts(0, 0);
    }

    /// <summary>Per window: arrival of its detection here minus the timestamp of the event that completed it.</summary>
    public IReadOnlyList<double> DetectionLatenciesMs(string stream)
    {
        lock (_counts)
            return _latencies.TryGetValue(stream, out var list) ? list.ToList() : [];
    }

    /// <summary>When the first alerting detection of the stream arrived here.</summary>
    public DateTimeOffset? FirstAlert(string stream)
    {
        lock (_counts)
            return _firstAlert.TryGetValue(stream, out var at) ? at : null;
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

    private void Run()
    {
        var seen = new HashSet<string>();
        while (!_stop.IsCancellationRequested)
        {
            ConsumeResult<byte[], byte[]>? result;
            try
            {
                result = _consumer.Consume(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ConsumeException)
            {
                continue;
            }

            var detection = DetectionResult.Parser.ParseFrom(result.Message.Value);
            // A window re-tested after a crash is published twice with the same id; count it once.
            if (!seen.Add(detection.WindowId)) continue;
            var arrived = DateTimeOffset.UtcNow;
            lock (_counts)
            {
                var stream = detection.Header.StreamId;
                if (!_latencies.TryGetValue(stream, out var latencies))
                    _latencies[stream] = latencies = [];
                if (detection.LastEventTimestamp is not null)
                    latencies.Add((arrived - detection.LastEventTimestamp.ToDateTimeOffset()).TotalMilliseconds);
                if (detection.Alert) _firstAlert.TryAdd(stream, arrived);
                var current = _counts.TryGetValue(stream, out var c) ? c : new StreamCounts(0, 0);
                _counts[stream] = new StreamCounts(current.Windows + 1, current.Alerts + (detection.Alert ? 1 : 0));
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _consumer.Close();
        _consumer.Dispose();
        _stop.Dispose();
    }
}
