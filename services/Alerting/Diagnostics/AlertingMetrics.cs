using System.Diagnostics.Metrics;

namespace Streaming.Alerting.Diagnostics;

/// <summary>Webhook deliveries by target and outcome ("delivered" / "failed"), with their latency and attempts.</summary>
public sealed class AlertingMetrics
{
    public const string MeterName = "Streaming.Alerting";

    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _attempts;

    public AlertingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _deliveries = meter.CreateCounter<long>("streaming.alerting.deliveries", "{delivery}", "Alert deliveries to webhooks, by target and outcome.");
        _duration = meter.CreateHistogram<double>("streaming.alerting.delivery.duration", "ms", "Time from first attempt to final outcome, retries included.");
        _attempts = meter.CreateCounter<long>("streaming.alerting.delivery.attempts", "{attempt}", "HTTP attempts made, by target.");
    }

    public void RecordDelivery(string target, bool delivered, int attempts, TimeSpan elapsed)
    {
        var targetTag = new KeyValuePair<string, object?>("target", target);
        var outcomeTag = new KeyValuePair<string, object?>("outcome", delivered ? "delivered" : "failed");
        _deliveries.Add(1, targetTag, outcomeTag);
        _duration.Record(elapsed.TotalMilliseconds, targetTag, outcomeTag);
        _attempts.Add(attempts, targetTag);
    }
}
