namespace Streaming.Alerting.Delivery;

/// <summary>What happened to one alert at one webhook after the whole resilience pipeline.</summary>
/// <param name="Target">Webhook name.</param>
/// <param name="Delivered">True when the webhook answered 2xx.</param>
/// <param name="Attempts">HTTP attempts made (1 + retries).</param>
/// <param name="Failure">Why it was not delivered (status or exception); null when delivered.</param>
public sealed record DeliveryResult(string Target, bool Delivered, int Attempts, string? Failure, TimeSpan Elapsed);
