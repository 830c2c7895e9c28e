namespace Streaming.Alerting.Delivery;

/// <summary>One layer's test result inside <see cref="AlertWebhookPayload"/>.</summary>
public sealed record LayerPayload(string Layer, double Mmd2, double PValue, bool Rejected);
