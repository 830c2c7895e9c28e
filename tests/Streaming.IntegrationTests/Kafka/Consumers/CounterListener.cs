using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Streaming.Messaging;

namespace Streaming.IntegrationTests.Kafka.Consumers;

/// <summary>Sums one counter of <see cref="MessagingMetrics"/> per topic tag while it lives.</summary>
internal sealed class CounterListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new();

    public CounterListener(string instrument)
    {
        _listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == MessagingMetrics.MeterName && i.Name == instrument) l.EnableMeasurementEvents(i);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "topic" && tag.Value is string topic)
                    _totals.AddOrUpdate(topic, value, (_, total) => total + value);
            }
        });
        _listener.Start();
    }

    public long Total(string topic) => _totals.GetValueOrDefault(topic);

    public void Dispose() => _listener.Dispose();
}
