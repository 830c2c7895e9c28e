namespace Streaming.Control.Demo;

public sealed record WebhookSummary(int Received);
