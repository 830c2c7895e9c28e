using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Streaming.Alerting.Delivery;
using Streaming.Alerting.Rules;
using Streaming.Alerting.Safety;
using Streaming.Contracts;

namespace Streaming.Alerting.Options;

/// <summary>
/// The rules of <see cref="AlertingOptions"/> that attributes cannot state, checked at start: each
/// webhook and rule of the lists (messages name the entry's index and quote the bad value), rules that
/// name webhooks, settings that apply only with the RabbitMQ transport or the retry store, and the
/// Redis connection that stateful rules and the retry store need. Plain field rules are attributes,
/// checked by the generated <see cref="AlertingOptionsValidator"/>; every message names its key.
/// </summary>
public sealed class AlertingCrossFieldValidator(IConfiguration configuration) : IValidateOptions<AlertingOptions>
{
    // Polly refuses attempt timeouts outside [10 ms, 1 day] and delays above 1 day.
    private static readonly TimeSpan MinAttemptTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);
    private const string S = AlertingOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, AlertingOptions options)
    {
        var failures = new List<string>();
        ValidateTargets(options, failures);
        ValidateRules(options, failures);

        ValidateTransport(options, failures);
        ValidateRedelivery(options.Redelivery, failures);

        var noRedis = string.IsNullOrWhiteSpace(configuration["Redis:ConnectionString"]);
        if (options.Rules.FindIndex(r => r.IsStateful) is var stateful and >= 0 && noRedis)
            failures.Add($"Redis:ConnectionString is required: {S}:Rules:{stateful} uses ConsecutiveWindows or Cooldown, whose state lives in Redis.");
        if (options.Redelivery.Enabled && noRedis)
            failures.Add($"Redis:ConnectionString is required: {S}:Redelivery:MaxRedeliveries is {options.Redelivery.MaxRedeliveries} and the retry store lives in Redis (set it to 0 to dead-letter after the quick retries).");

        if (failures.Count > 0 && !string.IsNullOrEmpty(options.RulesFile))
            failures.Add($"(rules were read from {S}:RulesFile '{options.RulesFile}')");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateTargets(AlertingOptions options, List<string> failures)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            var target = options.Webhooks[i];
            var key = $"{S}:Webhooks:{i}";
            if (string.IsNullOrWhiteSpace(target.Name))
                failures.Add($"{key}:Name is required.");
            else if (!names.Add(target.Name))
                failures.Add($"{key}:Name '{target.Name}' is used by another webhook; names must be unique.");
            else if (DeliverableAlert.HeaderProblem(target.Name) is { } nameProblem)
                failures.Add($"{key}:Name '{DeliverableAlert.Excerpt(target.Name)}' {nameProblem}; it is part of the Idempotency-Key header.");
            if (WebhookUrlPolicy.Check(target.Url, options) is { } urlProblem)
                failures.Add($"{key}:Url {urlProblem}");
            if (!Enum.IsDefined(target.Format))
                failures.Add($"{key}:Format must be Json or Slack.");
            if (TargetSecrets.Check(target) is { } secretProblem)
                failures.Add($"{key}:Secret/SecretFile: {secretProblem}");
            if (target.AttemptTimeout is { } timeout && (timeout < MinAttemptTimeout || timeout > MaxDuration))
                failures.Add($"{key}:AttemptTimeout must be between 00:00:00.010 and 1.00:00:00 (got {timeout}).");
        }
    }

    private static void ValidateRules(AlertingOptions options, List<string> failures)
    {
        var targetNames = new HashSet<string>(options.Webhooks.Select(w => w.Name), StringComparer.OrdinalIgnoreCase);
        var ruleNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            var key = $"{S}:Rules:{i}";
            if (string.IsNullOrWhiteSpace(rule.Name))
                failures.Add($"{key}:Name is required.");
            else if (!ruleNames.Add(rule.Name))
                failures.Add($"{key}:Name '{rule.Name}' is used by another rule; names must be unique.");
            if (!AlertSeverity.IsKnown(rule.MinSeverity))
                failures.Add($"{key}:MinSeverity must be one of {string.Join(", ", AlertSeverity.Ordered)} (got '{rule.MinSeverity}').");
            if (rule.ConsecutiveWindows is < 1 or > 10_000)
                failures.Add($"{key}:ConsecutiveWindows must be between 1 and 10000 (got {rule.ConsecutiveWindows}).");
            if (rule.ConsecutiveWithin <= TimeSpan.Zero || rule.ConsecutiveWithin > MaxDuration * 7)
                failures.Add($"{key}:ConsecutiveWithin must be between 00:00:00.001 and 7.00:00:00 (got {rule.ConsecutiveWithin}).");
            if (rule.Cooldown < TimeSpan.Zero || rule.Cooldown > MaxDuration * 7)
                failures.Add($"{key}:Cooldown must be between 00:00:00 and 7.00:00:00 (got {rule.Cooldown}).");
            if (rule.Targets.Count == 0)
                failures.Add($"{key}:Targets must name at least one of {S}:Webhooks.");
            for (var t = 0; t < rule.Targets.Count; t++)
                if (!targetNames.Contains(rule.Targets[t]))
                    failures.Add($"{key}:Targets:{t} '{rule.Targets[t]}' is not the Name of any {S}:Webhooks entry.");
            CheckNoBlanks(rule.Models, $"{key}:Models", failures);
            CheckNoBlanks(rule.Streams, $"{key}:Streams", failures);
            CheckNoBlanks(rule.Layers, $"{key}:Layers", failures);
            foreach (var kind in rule.Kinds.Where(k => !AlertKinds.IsKnown(k) && k != AlertRouter.UnknownKind))
                failures.Add($"{key}:Kinds must hold {AlertKinds.Adversarial}, {AlertKinds.Shift} or {AlertRouter.UnknownKind} (got '{kind}').");
        }
    }

    private static void ValidateTransport(AlertingOptions options, List<string> failures)
    {
        if (!DeliveryTransports.IsKnown(options.Transport))
            failures.Add($"{S}:Transport must be {DeliveryTransports.RabbitMq} or {DeliveryTransports.InMemory} (got '{options.Transport}').");
        if (DeliveryTransports.IsInMemory(options.Transport)) return;

        var rabbit = options.RabbitMq;
        if (string.IsNullOrWhiteSpace(rabbit.Host))
            failures.Add($"{S}:RabbitMq:Host is required with {S}:Transport '{DeliveryTransports.RabbitMq}' (or set {S}:Transport to '{DeliveryTransports.InMemory}', which is not durable).");
        if (rabbit.Port is < 1 or > 65535)
            failures.Add($"{S}:RabbitMq:Port must be between 1 and 65535 (got {rabbit.Port}).");
        if (string.IsNullOrEmpty(rabbit.VirtualHost))
            failures.Add($"{S}:RabbitMq:VirtualHost is required (\"/\" is the default one).");
        if (string.IsNullOrEmpty(rabbit.Username))
            failures.Add($"{S}:RabbitMq:Username is required.");
    }

    private static void ValidateRedelivery(RedeliverySettings redelivery, List<string> failures)
    {
        const string key = $"{S}:Redelivery";
        if (!redelivery.Enabled) return;
        if (redelivery.BaseDelay < TimeSpan.FromMilliseconds(10) || redelivery.BaseDelay > MaxDuration)
            failures.Add($"{key}:BaseDelay must be between 00:00:00.010 and 1.00:00:00 (got {redelivery.BaseDelay}).");
        if (redelivery.MaxDelay < redelivery.BaseDelay || redelivery.MaxDelay > MaxDuration)
            failures.Add($"{key}:MaxDelay must be between {key}:BaseDelay and 1.00:00:00 (got {redelivery.MaxDelay}).");
        if (redelivery.MaxAge <= TimeSpan.Zero || redelivery.MaxAge > MaxDuration * 30)
            failures.Add($"{key}:MaxAge must be between 00:00:00.001 and 30.00:00:00 (got {redelivery.MaxAge}).");
        if (redelivery.PollInterval < TimeSpan.FromMilliseconds(10) || redelivery.PollInterval > TimeSpan.FromMinutes(10))
            failures.Add($"{key}:PollInterval must be between 00:00:00.010 and 00:10:00 (got {redelivery.PollInterval}).");
        if (string.IsNullOrWhiteSpace(redelivery.Key))
            failures.Add($"{key}:Key is required.");
    }

    private static void CheckNoBlanks(List<string> values, string key, List<string> failures)
    {
        for (var i = 0; i < values.Count; i++)
            if (string.IsNullOrWhiteSpace(values[i]))
                failures.Add($"{key}:{i} must not be empty.");
    }
}
