using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Streaming.Messaging;

/// <summary>
/// Unhealthy while any Kafka consumer of the process cannot make progress: paused through an
/// outage, stuck in a handler, or its loop not polling, for longer than Kafka:ConsumerStalledAfterMs.
/// The consumers are the process's hosted services, so no consumer has to register itself.
/// </summary>
public sealed class KafkaConsumersHealthCheck(IEnumerable<IHostedService> hostedServices) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var progress = hostedServices.OfType<KafkaConsumerService>().Select(c => c.GetProgress()).ToList();
        var data = progress.ToDictionary(p => $"{p.Topic}/{p.GroupId}", p => (object)p.Description);
        var stalled = progress.Where(p => p.Stalled).ToList();
        var result = stalled.Count == 0
            ? HealthCheckResult.Healthy($"{progress.Count} consumer(s) making progress.", data)
            : HealthCheckResult.Unhealthy(string.Join("; ", stalled.Select(p => $"{p.Topic}: {p.Description}")), data: data);
        return Task.FromResult(result);
    }
}
