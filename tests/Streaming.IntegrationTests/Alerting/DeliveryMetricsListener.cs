using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Streaming.Alerting.Diagnostics;

namespace Streaming.IntegrationTests.Alerting;

/// <summary>Collects the "streaming.alerting.deliveries" measurements of one host's meter factory.</summary>
internal sealed class DeliveryMetricsListener : IDisposable
{
    private readonly MeterListener _listener = new();

    public DeliveryMetricsListener(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == AlertingMetrics.MeterName && instrument.Meter.Scope == scope)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name != "streaming.alerting.deliveries") return;
            var target = tags.ToArray().Single(t => t.Key == "target").Value;
            var outcome = tags.ToArray().Single(t => t.Key == "outcome").Value;
            Deliveries.Enqueue($"{target}:{outcome}:{value}");
        });
        _listener.Start();
    }

    /// <summary>"target:outcome:count" per recorded delivery.</summary>
    public ConcurrentQueue<string> Deliveries { get; } = new();

    public void Dispose() => _listener.Dispose();
}
