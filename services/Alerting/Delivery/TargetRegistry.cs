using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Streaming.Alerting.Diagnostics;
using Streaming.Alerting.Options;

namespace Streaming.Alerting.Delivery;

/// <summary>Every configured target, resolved once at start (secrets read, one pipeline and breaker each).</summary>
public sealed class TargetRegistry
{
    private readonly Dictionary<string, ResolvedTarget> _targets = new(StringComparer.OrdinalIgnoreCase);

    public TargetRegistry(IOptions<AlertingOptions> options, AlertingMetrics metrics, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(WebhookPipelineFactory));
        foreach (var target in options.Value.Webhooks)
        {
            var circuit = new CircuitBreakerStateProvider();
            metrics.TrackCircuit(target.Name, circuit);
            var pipeline = WebhookPipelineFactory.Create(target, options.Value, circuit, metrics, timeProvider, logger);
            var secret = TargetSecrets.Load(target);
            if (secret is null) AlertingLog.Unsigned(logger, target.Name);
            _targets[target.Name] = new ResolvedTarget(target.Name, new Uri(target.Url, UriKind.Absolute), target.Format, secret, pipeline);
        }
    }

    public IReadOnlyCollection<ResolvedTarget> All => _targets.Values;

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResolvedTarget? target) =>
        _targets.TryGetValue(name, out target);

    public ResolvedTarget this[string name] => _targets.TryGetValue(name, out var target)
        ? target
        : throw new KeyNotFoundException($"No webhook target named '{name}' (Alerting:Webhooks).");
}
