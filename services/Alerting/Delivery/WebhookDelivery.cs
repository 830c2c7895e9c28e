using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Streaming.Alerting.Diagnostics;
using Streaming.Alerting.Options;
using Streaming.Contracts.Webhooks;

namespace Streaming.Alerting.Delivery;

/// <summary>
/// POSTs an alert's body to one target through that target's resilience pipeline and reports the
/// final outcome instead of throwing, so the caller can dead-letter one target and go on with the
/// others. Every attempt is signed afresh (current timestamp), so a retry after a long backoff is
/// not refused as stale. Only cancellation of the caller's token propagates. The target's URL is
/// never logged or put in a failure reason beyond scheme://host[:port] (<see cref="UrlRedaction"/>).
/// </summary>
public sealed class WebhookDelivery(
    IHttpClientFactory httpClientFactory,
    IOptions<AlertingOptions> options,
    AlertingMetrics metrics,
    TimeProvider timeProvider,
    ILogger<WebhookDelivery> logger)
{
    /// <summary>Name of the IHttpClientFactory client used for webhooks (SSRF guard, no standard resilience handler).</summary>
    public const string HttpClientName = "alerting-webhooks";

    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Marks a request as a webhook delivery, so tracing can leave its (secret) URL out.</summary>
    public static readonly HttpRequestOptionsKey<bool> IsWebhookRequest = new("streaming.alerting.webhook");

    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly int _maxResponseBodyBytes = options.Value.MaxResponseBodyBytes;

    /// <summary>Receivers de-duplicate redeliveries (retries, consumer restarts) on "{alertId}:{targetName}".</summary>
    public static string IdempotencyKey(string alertId, string target) => $"{alertId}:{target}";

    public async Task<DeliveryResult> DeliverAsync(ResolvedTarget target, string alertId, byte[] body, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        var idempotencyKey = IdempotencyKey(alertId, target.Name);
        var attempts = 0;
        var started = Stopwatch.GetTimestamp();

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(WebhookPipelineFactory.AlertIdKey, alertId);
        string? failure;
        bool retryable;
        try
        {
            var outcome = await target.Pipeline.ExecuteOutcomeAsync(
                async (ctx, _) =>
                {
                    Interlocked.Increment(ref attempts);
                    try
                    {
                        // A request message can be sent only once: build (and sign) one per attempt.
                        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url);
                        request.Options.Set(IsWebhookRequest, true);
                        request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
                        if (target.Secret is { } secret)
                            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Create(secret, timeProvider.GetUtcNow().ToUnixTimeSeconds(), idempotencyKey, body));
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
            retryable = WebhookPipelineFactory.IsTransient(outcome);
            failure = response is { IsSuccessStatusCode: true }
                ? null
                // The target's error body may echo its own URL: scrubbed like every failure text.
                : UrlRedaction.Scrub(
                    WebhookPipelineFactory.Describe(outcome, target.Url) + await ResponseExcerptAsync(response, cancellationToken).ConfigureAwait(false),
                    target.Url);
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
        return new DeliveryResult(target.Name, failure is null, attempts, failure, elapsed, failure is not null && retryable);
    }

    /// <summary>
    /// ": &lt;start of the error body&gt;" for the dead letter, reading at most MaxResponseBodyBytes:
    /// a hostile or broken target cannot make us buffer an unbounded body.
    /// </summary>
    private async Task<string> ResponseExcerptAsync(HttpResponseMessage? response, CancellationToken cancellationToken)
    {
        if (response is null || _maxResponseBodyBytes == 0) return "";
        // A target that drips its body slowly must not hold the delivery either.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            var buffer = new byte[_maxResponseBodyBytes];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token).ConfigureAwait(false)) > 0)
                read += n;
            var text = Encoding.UTF8.GetString(buffer, 0, read).Trim();
            return text.Length == 0 ? "" : ": " + text;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return "";
        }
    }
}
