namespace Streaming.Alerting.Delivery;

/// <summary>What happened to one alert at one webhook after the whole resilience pipeline.</summary>
/// <param name="Target">Webhook name.</param>
/// <param name="Delivered">True when the webhook answered 2xx.</param>
/// <param name="Attempts">HTTP attempts made (1 + retries; 0 when the circuit was open).</param>
/// <param name="Failure">Why it was not delivered (status or exception); null when delivered.</param>
/// <param name="Retryable">The failure may pass (5xx, 408, 429, network, timeout, open circuit): worth a later round.</param>
public sealed record DeliveryResult(string Target, bool Delivered, int Attempts, string? Failure, TimeSpan Elapsed, bool Retryable = false);
