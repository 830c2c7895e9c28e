namespace Streaming.Control.Demo;

/// <summary>
/// The demo's summary; written as JSON with snake_case keys (clean.windows, model_wide.alerts, models[1].attack.alerts,
/// latency_ms.p99, …). <paramref name="Clean"/>, <paramref name="Attack"/>, <paramref name="ModelWide"/> and
/// <paramref name="Settings"/> are the first model's (small-cnn on MNIST, as when the demo ran one model);
/// <paramref name="Models"/> holds every model's, that one first. Webhooks and latency cover all models.
/// </summary>
/// <param name="ModelWide">The first model's model-wide windows over both phases (stream "__model"): they hold clean and attack images alike.</param>
public sealed record DemoReport(PhaseSummary Clean, PhaseSummary Attack, PhaseSummary ModelWide, WebhookSummary Webhooks, LatencySummary LatencyMs, DemoSettings Settings, IReadOnlyList<ModelSummary> Models);
