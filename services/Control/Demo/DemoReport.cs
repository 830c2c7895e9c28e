namespace Streaming.Control.Demo;

/// <summary>The demo's summary; written as JSON with snake_case keys (clean.windows, latency_ms.p99, …).</summary>
public sealed record DemoReport(PhaseSummary Clean, PhaseSummary Attack, WebhookSummary Webhooks, LatencySummary LatencyMs, DemoSettings Settings);
