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
/// Consumes alerts, routes each through the rules and hands one <see cref="DeliverWebhook"/> per
/// routed target to the delivery queue. <see cref="HandleAsync"/> returns (and the offset may be
/// stored) only once the queue confirmed every one of them (RabbitMQ publisher confirms), so an
/// alert is never lost between Kafka and the webhooks. Redeliveries after a crash are possible
/// (at-least-once); receivers de-duplicate on the Idempotency-Key header. A broker outage holds the
/// alert (its offset is not stored): the base class classifies RabbitMQ / MassTransit connection
/// failures as transient and retries with the partitions paused for as long as the outage lasts.
/// </summary>
public sealed class AlertConsumer : KafkaConsumerService
{
    public const string Service = "alerting";

    private readonly AlertingOptions _options;
    private readonly DeliveryQueue _queue;
    private readonly TargetRegistry _targets;
    private readonly AlertRouter _router;
    private readonly ILogger<AlertConsumer> _logger;

    public AlertConsumer(
        IOptions<AlertingOptions> options,
        IOptions<KafkaOptions> kafka,
        DeliveryQueue queue,
        TargetRegistry targets,
        AlertRouter router,
        DeadLetterPublisher deadLetters,
        MessagingMetrics messagingMetrics,
        TimeProvider timeProvider,
        ILogger<AlertConsumer> logger)
        : base(kafka, deadLetters, messagingMetrics, timeProvider, logger)
    {
        _options = options.Value;
        _queue = queue;
        _targets = targets;
        _router = router;
        _logger = logger;
    }

    protected override string Topic => _options.Topic;

    protected override string GroupId => _options.GroupId;

    protected override string ServiceName => Service;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        AlertingLog.Configured(_logger, _options.Topic, _options.Webhooks.Count, string.Join(", ", _targets.All), _options.Rules.Count);
        AlertingLog.Transport(
            _logger,
            _options.Transport,
            _options.DeliveryQueue,
            DeliveryTransports.IsInMemory(_options.Transport) ? "in-process, NOT durable: a crash loses queued deliveries" : $"durable, publisher confirms, broker {_options.RabbitMq}",
            _options.Redelivery.Enabled ? $"Redis key {_options.Redelivery.Key}, up to {_options.Redelivery.MaxRedeliveries} rounds" : "off (dead-letter after the quick retries)");
        return base.StartAsync(cancellationToken);
    }

    protected override async Task HandleAsync(ConsumeResult<byte[], byte[]> result, CancellationToken cancellationToken)
    {
        var alert = ProtobufEvents.Parse(Alert.Parser, result.Message.Value, a => a.Header);
        // Bodies are serialized here, once per format, so every round sends the very same bytes.
        var bodies = new WebhookBodies(AlertWebhookPayload.From(alert));
        var routed = await _router.RouteAsync(alert, cancellationToken).ConfigureAwait(false);
        if (routed.Count == 0) return;

        var handedOverAt = TimeProvider.GetUtcNow();
        var deliveries = routed.Select(name =>
        {
            var target = _targets[name];
            return new DeliverWebhook(
                alert.AlertId, target.Name, bodies.For(target.Format), target.Format.ToString().ToLowerInvariant(),
                Attempts: 0, Redeliveries: 0, handedOverAt, LastFailure: null,
                result.Topic, result.Partition.Value, result.Offset.Value, result.Message.Key ?? [], result.Message.Value);
        }).ToList();
        await _queue.SendAsync(deliveries, cancellationToken).ConfigureAwait(false);
    }
}
