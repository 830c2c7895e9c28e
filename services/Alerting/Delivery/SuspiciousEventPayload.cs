namespace Streaming.Alerting.Delivery;

/// <summary>One event an alert names, inside <see cref="AlertWebhookPayload"/>; <see cref="PValue"/> is null when not finite.</summary>
public sealed record SuspiciousEventPayload(string EventId, string StreamId, double? PValue, string Layer, bool Flagged, bool Adversarial);
