using System.Globalization;
using Confluent.Kafka;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Alerting.Delivery;
using Streaming.Alerting.Diagnostics;
using Streaming.Alerting.Options;
using Streaming.Alerting.Redelivery;
using Streaming.Messaging;

namespace Streaming.Alerting.Consumers;

/// <summary>
/// Takes one delivery off the delivery queue and runs one round: the target's Polly pipeline
/// (attempt timeout, quick jittered retries, the target's circuit breaker). Delivered: done. Failed
/// with a failure that may pass: the delivery goes into the durable retry store for a later round,
/// until MaxRedeliveries rounds or MaxAge. Otherwise it is dead-lettered with the reason and the
/// attempts. The queue message is acknowledged only after one of these three is durable; a crash
/// before that makes the broker hand it out again.
/// </summary>
public sealed class DeliverWebhookConsumer(
    WebhookDelivery delivery,
    TargetRegistry targets,
    DeadLetterPublisher deadLetters,
    Lazy<RedeliveryStore> redeliveries,
    AlertingMetrics metrics,
    IOptions<AlertingOptions> options,
    TimeProvider timeProvider,
    ILogger<DeliverWebhookConsumer> logger) : IConsumer<DeliverWebhook>
{
    private readonly RedeliverySettings _redelivery = options.Value.Redelivery;

    public async Task Consume(ConsumeContext<DeliverWebhook> context)
    {
        var message = context.Message;
        var cancellationToken = context.CancellationToken;
        if (!targets.TryGet(message.Target, out var target))
        {
            await DeadLetterAsync(message, message.Attempts,
                $"Webhook '{message.Target}' is no longer configured (Alerting:Webhooks); alert {message.AlertId} cannot be delivered to it.", cancellationToken).ConfigureAwait(false);
            return;
        }

        var result = await delivery.DeliverAsync(target, message.AlertId, message.Body, cancellationToken).ConfigureAwait(false);
        if (result.Delivered) return;

        var attempts = message.Attempts + result.Attempts;
        var now = timeProvider.GetUtcNow();
        var age = now - message.FirstAttemptAt;
        var round = message.Redeliveries + 1;
        if (result.Retryable && message.Redeliveries < _redelivery.MaxRedeliveries && age < _redelivery.MaxAge)
        {
            var dueAt = now + RedeliveryBackoff.Delay(round, _redelivery, Random.Shared);
            var next = message with { Attempts = attempts, Redeliveries = round, LastFailure = result.Failure };
            await redeliveries.Value.ScheduleAsync(next, dueAt, cancellationToken).ConfigureAwait(false);
            metrics.RecordRedelivery(target.Name);
            AlertingLog.RedeliveryScheduled(logger, message.AlertId, target.Name, round, attempts, dueAt);
            return;
        }

        var rounds = message.Redeliveries == 0
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $" in {round} rounds over {age.TotalSeconds:F0} s");
        var why = !result.Retryable || _redelivery.MaxRedeliveries == 0 ? ""
            : message.Redeliveries >= _redelivery.MaxRedeliveries ? " (Alerting:Redelivery:MaxRedeliveries reached)"
            : " (Alerting:Redelivery:MaxAge reached)";
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"Webhook '{target.Name}' failed for alert {message.AlertId} after {attempts} attempt(s){rounds}{why}: {result.Failure}");
        await DeadLetterAsync(message, attempts, reason, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeadLetterAsync(DeliverWebhook message, int attempts, string reason, CancellationToken cancellationToken)
    {
        // The dead letter points at the alert's own Kafka record, so `control deadletters resend` works as before.
        var source = new ConsumeResult<byte[], byte[]>
        {
            Topic = message.SourceTopic,
            Partition = new Partition(message.SourcePartition),
            Offset = new Offset(message.SourceOffset),
            Message = new Message<byte[], byte[]> { Key = message.SourceKey, Value = message.SourcePayload },
        };
        await deadLetters.PublishAsync(source, AlertConsumer.Service, reason, (uint)attempts, cancellationToken).ConfigureAwait(false);
        metrics.RecordDeadLettered(message.Target);
        AlertingLog.DeadLettered(logger, message.AlertId, message.Target, reason);
    }
}
