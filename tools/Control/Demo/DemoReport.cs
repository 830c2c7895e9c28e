namespace Streaming.Control.Demo;

/// <summary>The demo's summary; written as JSON with snake_case keys (clean.windows, model_wide.alerts, latency_ms.p99, …).</summary>
/// <param name="ModelWide">The model-wide windows over both phases (stream "__model"): they hold clean and attack images alike.</param>
public sealed record DemoReport(PhaseSummary Clean, PhaseSummary Attack, PhaseSummary ModelWide, WebhookSummary Webhooks, LatencySummary LatencyMs, DemoSettings Settings);
