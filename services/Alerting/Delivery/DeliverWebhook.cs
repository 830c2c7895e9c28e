namespace Streaming.Alerting.Delivery;

/// <summary>
/// One alert for one target, waiting in the delivery queue (RabbitMQ) or the retry store (Redis).
/// It carries the serialized body, so delivery does not depend on the rules or formats at the time
/// it runs, and the alert's Kafka record, so a final failure can be dead-lettered (and re-sent with
/// <c>control deadletters resend</c>) exactly as the consumer would have.
/// </summary>
/// <param name="AlertId">Alert id; with <paramref name="Target"/> the Idempotency-Key.</param>
/// <param name="Target">Name of the webhook (Alerting:Webhooks:N:Name).</param>
/// <param name="Body">Request body, already in the target's format.</param>
/// <param name="Format">The body's format (json, slack), for logs and operators.</param>
/// <param name="Attempts">HTTP attempts made so far, over every round.</param>
/// <param name="Redeliveries">Rounds taken from the retry store so far (0 on the first round).</param>
/// <param name="FirstAttemptAt">When the alert was handed over for delivery; MaxAge counts from here.</param>
/// <param name="LastFailure">Why the previous round failed; null on the first round.</param>
/// <param name="SourceTopic">Kafka record of the alert: topic.</param>
/// <param name="SourcePartition">Kafka record of the alert: partition.</param>
/// <param name="SourceOffset">Kafka record of the alert: offset.</param>
/// <param name="SourceKey">Kafka record of the alert: key.</param>
/// <param name="SourcePayload">Kafka record of the alert: value (the protobuf Alert).</param>
public sealed record DeliverWebhook(
    string AlertId,
    string Target,
    byte[] Body,
    string Format,
    int Attempts,
    int Redeliveries,
    DateTimeOffset FirstAttemptAt,
    string? LastFailure,
    string SourceTopic,
    int SourcePartition,
    long SourceOffset,
    byte[] SourceKey,
    byte[] SourcePayload);
