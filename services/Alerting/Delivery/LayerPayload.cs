namespace Streaming.Alerting.Delivery;

/// <summary>
/// One layer's test result inside <see cref="AlertWebhookPayload"/>. Numbers are null when not
/// finite; <see cref="Threshold"/> (the calibrated MMD² threshold) only in online mode.
/// </summary>
public sealed record LayerPayload(string Layer, double? Mmd2, double? PValue, bool Rejected, double? Threshold);
