using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Polly.CircuitBreaker;

namespace Streaming.Alerting.Diagnostics;

/// <summary>
/// Per target: deliveries by outcome ("delivered" / "failed"), their latency, attempts, retries,
/// and the circuit state (0 closed, 1 open, 2 half-open, 3 isolated).
/// </summary>
public sealed class AlertingMetrics
{
    public const string MeterName = "Streaming.Alerting";

    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _suppressed;
    private readonly Counter<long> _redeliveries;
    private readonly Counter<long> _deadLettered;
    private readonly ConcurrentDictionary<string, CircuitBreakerStateProvider> _circuits = new();

    public AlertingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _deliveries = meter.CreateCounter<long>("streaming.alerting.deliveries", "{delivery}", "Alert deliveries to webhooks, by target and outcome.");
        _duration = meter.CreateHistogram<double>("streaming.alerting.delivery.duration", "ms", "Time from first attempt to final outcome, retries included.");
        _attempts = meter.CreateCounter<long>("streaming.alerting.delivery.attempts", "{attempt}", "HTTP attempts made, by target.");
        _retries = meter.CreateCounter<long>("streaming.alerting.delivery.retries", "{retry}", "Retries scheduled, by target.");
        _suppressed = meter.CreateCounter<long>("streaming.alerting.rule.suppressed", "{alert}", "Alerts a rule matched but held back, by rule and reason (streak, cooldown).");
        _redeliveries = meter.CreateCounter<long>("streaming.alerting.redeliveries", "{delivery}", "Deliveries put into the durable retry store after a failed round, by target.");
        _deadLettered = meter.CreateCounter<long>("streaming.alerting.deadlettered", "{delivery}", "Deliveries given up and written to the dead-letter topic, by target.");
        meter.CreateObservableGauge("streaming.alerting.circuit.state", ObserveCircuits, "{state}", "Circuit of each target: 0 closed, 1 open, 2 half-open, 3 isolated.");
    }

    public void RecordDelivery(string target, bool delivered, int attempts, TimeSpan elapsed)
    {
        var targetTag = new KeyValuePair<string, object?>("target", target);
        var outcomeTag = new KeyValuePair<string, object?>("outcome", delivered ? "delivered" : "failed");
        _deliveries.Add(1, targetTag, outcomeTag);
        _duration.Record(elapsed.TotalMilliseconds, targetTag, outcomeTag);
        _attempts.Add(attempts, targetTag);
    }

    public void RecordRedelivery(string target) => _redeliveries.Add(1, new KeyValuePair<string, object?>("target", target));

    public void RecordDeadLettered(string target) => _deadLettered.Add(1, new KeyValuePair<string, object?>("target", target));

    public void RecordRetry(string target) => _retries.Add(1, new KeyValuePair<string, object?>("target", target));

    public void RecordSuppressed(string rule, string reason) =>
        _suppressed.Add(1, new KeyValuePair<string, object?>("rule", rule), new KeyValuePair<string, object?>("reason", reason));

    public void TrackCircuit(string target, CircuitBreakerStateProvider state) => _circuits[target] = state;

    private IEnumerable<Measurement<int>> ObserveCircuits() =>
        _circuits.Select(c => new Measurement<int>((int)c.Value.CircuitState, new KeyValuePair<string, object?>("target", c.Key)));
}
