using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Alerting.Delivery;
using Streaming.Alerting.Diagnostics;
using Streaming.Alerting.Options;
using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.Alerting.Consumers;

/// <summary>
/// Consumes alerts and hands each to every configured webhook. <see cref="HandleAsync"/> returns
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
    private readonly DeadLetterPublisher _deadLetters;
    private readonly ILogger<AlertConsumer> _logger;

    public AlertConsumer(
        IOptions<AlertingOptions> options,
        IOptions<KafkaOptions> kafka,
        WebhookDelivery delivery,
        DeadLetterPublisher deadLetters,
        TimeProvider timeProvider,
        ILogger<AlertConsumer> logger)
        : base(kafka, deadLetters, timeProvider, logger)
    {
        _options = options.Value;
        _delivery = delivery;
        _deadLetters = deadLetters;
        _logger = logger;
    }

    protected override string Topic => _options.Topic;

    protected override string GroupId => _options.GroupId;

    protected override string ServiceName => Service;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        AlertingLog.Configured(_logger, _options.Topic, _options.Webhooks.Count, string.Join(", ", _options.Webhooks.Select(w => w.Name)));
        return base.StartAsync(cancellationToken);
    }

    protected override async Task HandleAsync(ConsumeResult<byte[], byte[]> result, CancellationToken cancellationToken)
    {
        var alert = ProtobufEvents.Parse(Alert.Parser, result.Message.Value, a => a.Header);
        var payload = AlertWebhookPayload.From(alert);
        var body = WebhookDelivery.Serialize(payload);

        // Targets are independent: a slow or dead one must not hold back the others.
        var results = await Task.WhenAll(_options.Webhooks.Select(target =>
            _delivery.DeliverAsync(target, payload.AlertId, body, cancellationToken))).ConfigureAwait(false);

        foreach (var failed in results.Where(r => !r.Delivered))
        {
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"Webhook '{failed.Target}' failed for alert {payload.AlertId} after {failed.Attempts} attempt(s): {failed.Failure}");
            await _deadLetters.PublishAsync(result, Service, reason, (uint)failed.Attempts, cancellationToken).ConfigureAwait(false);
        }
    }
}
