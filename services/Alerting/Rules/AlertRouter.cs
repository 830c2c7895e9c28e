using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Alerting.Diagnostics;
using Streaming.Alerting.Options;
using Streaming.Contracts;

namespace Streaming.Alerting.Rules;

/// <summary>
/// Which targets an alert goes to: the union of the targets of every rule that matches and fires.
/// Without rules, every target. Stateless rules (no streak, no cooldown) need no Redis: the state
/// store (and with it the Redis connection) is created only when a rule is stateful.
/// </summary>
public sealed class AlertRouter
{
    private readonly AlertingOptions _options;
    private readonly RuleStateStore? _state;
    private readonly AlertingMetrics _metrics;
    private readonly ILogger<AlertRouter> _logger;

    public AlertRouter(IOptions<AlertingOptions> options, Lazy<RuleStateStore> state, AlertingMetrics metrics, ILogger<AlertRouter> logger)
    {
        _options = options.Value;
        _state = _options.Rules.Any(r => r.IsStateful) ? state.Value : null;
        _metrics = metrics;
        _logger = logger;
    }

    public async Task<IReadOnlyList<string>> RouteAsync(Alert alert, CancellationToken cancellationToken)
    {
        if (_options.Rules.Count == 0) return [.. _options.Webhooks.Select(w => w.Name)];

        var targets = new List<string>();
        foreach (var rule in _options.Rules)
        {
            if (!Matches(rule, alert)) continue;
            var decision = rule.IsStateful
                ? await _state!.DecideAsync(rule, alert.Header.Model, alert.Header.StreamId, alert.AlertId, cancellationToken).ConfigureAwait(false)
                : RuleDecision.Deliver;
            if (decision == RuleDecision.Deliver)
            {
                targets.AddRange(rule.Targets.Where(t => !targets.Contains(t, StringComparer.OrdinalIgnoreCase)));
                continue;
            }

            var reason = decision.ToString().ToLowerInvariant();
            _metrics.RecordSuppressed(rule.Name, reason);
            AlertingLog.Suppressed(_logger, alert.AlertId, rule.Name, reason);
        }

        return targets;
    }

    public static bool Matches(AlertRule rule, Alert alert) =>
        AnyOrContains(rule.Models, alert.Header?.Model)
        && AnyOrContains(rule.Streams, alert.Header?.StreamId)
        && AnyOrContains(rule.Kinds, KindOf(alert))
        && (rule.Layers.Count == 0 || alert.RejectedLayers.Any(l => rule.Layers.Contains(l, StringComparer.Ordinal)))
        && AlertSeverity.Rank(alert.Severity) >= AlertSeverity.Rank(rule.MinSeverity);

    /// <summary>The alert's kind as rules name it: <see cref="AlertKinds"/>, or <see cref="UnknownKind"/>.</summary>
    public static string KindOf(Alert alert) => AlertKinds.IsKnown(alert.Kind) ? alert.Kind : UnknownKind;

    public const string UnknownKind = "unknown";

    private static bool AnyOrContains(List<string> allowed, string? value) =>
        allowed.Count == 0 || (value is not null && allowed.Contains(value, StringComparer.Ordinal));
}
