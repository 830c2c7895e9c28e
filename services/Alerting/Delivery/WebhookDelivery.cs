using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Streaming.Alerting.Diagnostics;
using Streaming.Alerting.Options;

namespace Streaming.Alerting.Delivery;

/// <summary>
/// POSTs an alert's JSON body to one webhook through the shared resilience pipeline and reports
/// the final outcome instead of throwing, so the caller can dead-letter one target and go on with
/// the others. Only cancellation of the caller's token propagates.
/// </summary>
public sealed class WebhookDelivery(
    IHttpClientFactory httpClientFactory,
    ResiliencePipeline<HttpResponseMessage> pipeline,
    AlertingMetrics metrics,
    ILogger<WebhookDelivery> logger)
{
    /// <summary>Name of the IHttpClientFactory client used for webhooks (no standard resilience handler).</summary>
    public const string HttpClientName = "alerting-webhooks";

    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public static byte[] Serialize(AlertWebhookPayload payload) =>
        JsonSerializer.SerializeToUtf8Bytes(payload, AlertPayloadJsonContext.Default.AlertWebhookPayload);

    /// <summary>Receivers de-duplicate redeliveries (retries, consumer restarts) on "{alertId}:{webhookName}".</summary>
    public static string IdempotencyKey(string alertId, string target) => $"{alertId}:{target}";

    public async Task<DeliveryResult> DeliverAsync(WebhookTarget target, string alertId, byte[] body, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        var url = new Uri(target.Url, UriKind.Absolute);
        var idempotencyKey = IdempotencyKey(alertId, target.Name);
        var attempts = 0;
        var started = Stopwatch.GetTimestamp();

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(WebhookPipelineFactory.TargetKey, target.Name);
        context.Properties.Set(WebhookPipelineFactory.AlertIdKey, alertId);
        string? failure;
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                async (ctx, _) =>
                {
                    Interlocked.Increment(ref attempts);
                    try
                    {
                        // A request message can be sent only once: build one per attempt.
                        using var request = new HttpRequestMessage(HttpMethod.Post, url);
                        request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
                        request.Content = new ByteArrayContent(body) { Headers = { ContentType = Json } };
                        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ctx.CancellationToken).ConfigureAwait(false);
                        return Outcome.FromResult(response);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                state: 0).ConfigureAwait(false);

            if (outcome.Exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
                cancellationToken.ThrowIfCancellationRequested();

            using var response = outcome.Result;
            failure = response is { IsSuccessStatusCode: true } ? null : WebhookPipelineFactory.Describe(outcome);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.RecordDelivery(target.Name, failure is null, attempts, elapsed);
        if (failure is null)
            AlertingLog.Delivered(logger, alertId, target.Name, attempts, elapsed.TotalMilliseconds);
        else
            AlertingLog.DeliveryFailed(logger, alertId, target.Name, attempts, failure);
        return new DeliveryResult(target.Name, failure is null, attempts, failure, elapsed);
    }
}
