using System.Diagnostics.Metrics;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.Kafka.Consumers;

/// <summary>Reads an observable gauge of <see cref="MessagingMetrics"/> for one topic on demand.</summary>
internal sealed class GaugeReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, int> _last = [];

    public GaugeReader(string instrument)
    {
        _listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == MessagingMetrics.MeterName && i.Name == instrument) l.EnableMeasurementEvents(i);
        };
        _listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "topic" && tag.Value is string topic)
                    _last[topic] = value;
            }
        });
        _listener.Start();
    }

    /// <summary>The gauge's value for <paramref name="topic"/> now; -1 when it reports none.</summary>
    public int Read(string topic)
    {
        lock (_last)
        {
            _last.Clear();
            _listener.RecordObservableInstruments();
            return _last.GetValueOrDefault(topic, -1);
        }
    }

    public void Dispose() => _listener.Dispose();
}
