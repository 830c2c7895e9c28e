using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Alerting.Delivery;
using Streaming.Alerting.Diagnostics;
using Streaming.Alerting.Options;
using Streaming.Alerting.Rules;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.Alerting.Consumers;

/// <summary>
/// Consumes alerts, routes each through the rules and hands it to every target they name. <see cref="HandleAsync"/> returns
/// (and the offset may be committed) only once every webhook either answered 2xx or its failure
/// was written to the dead-letter topic, so an alert is never lost between Kafka and the webhooks.
/// Redeliveries after a crash are possible (at-least-once); receivers de-duplicate on the
/// Idempotency-Key header.
/// </summary>
public sealed class AlertConsumer : KafkaConsumerService
{
    public const string Service = "alerting";

    private readonly AlertingOptions _options;
    private readonly WebhookDelivery _delivery;
    private readonly TargetRegistry _targets;
    private readonly AlertRouter _router;
    private readonly DeadLetterPublisher _deadLetters;
    private readonly ILogger<AlertConsumer> _logger;

    public AlertConsumer(
        IOptions<AlertingOptions> options,
        IOptions<KafkaOptions> kafka,
        WebhookDelivery delivery,
        TargetRegistry targets,
        AlertRouter router,
        DeadLetterPublisher deadLetters,
        TimeProvider timeProvider,
        ILogger<AlertConsumer> logger)
        : base(kafka, deadLetters, timeProvider, logger)
    {
        _options = options.Value;
        _delivery = delivery;
        _targets = targets;
        _router = router;
        _deadLetters = deadLetters;
        _logger = logger;
    }

    protected override string Topic => _options.Topic;

    protected override string GroupId => _options.GroupId;

    protected override string ServiceName => Service;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        AlertingLog.Configured(_logger, _options.Topic, _options.Webhooks.Count, string.Join(", ", _targets.All), _options.Rules.Count);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task HandleAsync(ConsumeResult<byte[], byte[]> result, CancellationToken cancellationToken)
    {
        var alert = ProtobufEvents.Parse(Alert.Parser, result.Message.Value, a => a.Header);
        var payload = AlertWebhookPayload.From(alert);
        var bodies = new WebhookBodies(payload);
        var routed = await _router.RouteAsync(alert, cancellationToken).ConfigureAwait(false);

        // Targets are independent: a slow or dead one must not hold back the others.
        // Bodies are serialized here, sequentially, before any delivery runs concurrently.
        var results = await Task.WhenAll(routed.Select(name =>
        {
            var target = _targets[name];
            return _delivery.DeliverAsync(target, payload.AlertId, bodies.For(target.Format), cancellationToken);
        })).ConfigureAwait(false);

        foreach (var failed in results.Where(r => !r.Delivered))
        {
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"Webhook '{failed.Target}' failed for alert {payload.AlertId} after {failed.Attempts} attempt(s): {failed.Failure}");
            await _deadLetters.PublishAsync(result, Service, reason, (uint)failed.Attempts, cancellationToken).ConfigureAwait(false);
        }
    }
}
