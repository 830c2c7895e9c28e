using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Streaming.Alerting.Diagnostics;
using Streaming.Alerting.Options;

namespace Streaming.Alerting.Delivery;

/// <summary>
/// Builds one resilience pipeline per target, outer to inner: retry (jittered exponential backoff)
/// → circuit breaker → attempt timeout. Each target has its own breaker, so a dead target fails
/// fast without slowing the healthy ones. It is the only retry layer: the webhook HttpClient has
/// the ServiceDefaults standard handler removed.
/// </summary>
public static class WebhookPipelineFactory
{
    /// <summary>Which alert an execution is for, so retries can be logged with it.</summary>
    public static readonly ResiliencePropertyKey<string> AlertIdKey = new("alerting.alert-id");

    public static ResiliencePipeline<HttpResponseMessage> Create(
        WebhookTarget target, AlertingOptions options, CircuitBreakerStateProvider circuitState,
        AlertingMetrics metrics, TimeProvider timeProvider, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        var url = new Uri(target.Url, UriKind.Absolute);
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                // An open circuit is not retried: the target is known down, so the alert goes to
                // the dead letters at once instead of waiting out the backoff for nothing.
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome) && args.Outcome.Exception is not BrokenCircuitException),
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    metrics.RecordRetry(target.Name);
                    AlertingLog.Retrying(
                        logger,
                        args.Context.Properties.GetValue(AlertIdKey, "?"),
                        target.Name,
                        args.AttemptNumber + 1,
                        Describe(args.Outcome, url),
                        args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        var breaker = options.CircuitBreaker;
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            FailureRatio = breaker.FailureRatio,
            MinimumThroughput = breaker.MinimumThroughput,
            SamplingDuration = breaker.SamplingDuration,
            BreakDuration = breaker.BreakDuration,
            StateProvider = circuitState,
            OnOpened = args =>
            {
                AlertingLog.CircuitOpened(logger, target.Name, args.BreakDuration.TotalSeconds, Describe(args.Outcome, url));
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                AlertingLog.CircuitClosed(logger, target.Name);
                return ValueTask.CompletedTask;
            },
        });

        builder.AddTimeout(target.AttemptTimeout ?? options.AttemptTimeout);
        return builder.Build();
    }

    /// <summary>Worth another try: 5xx, 408, 429, a network failure, an attempt that timed out, an open circuit.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException or BrokenCircuitException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500
            || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        _ => false,
    };

    /// <summary>
    /// "HTTP 503 ServiceUnavailable" or "HttpRequestException: Connection refused (…)", with any
    /// trace of the target's path or query removed (<see cref="UrlRedaction.Scrub"/>): the URL is a credential.
    /// </summary>
    public static string Describe(Outcome<HttpResponseMessage> outcome, Uri url) => outcome.Exception is { } ex
        ? UrlRedaction.Scrub($"{ex.GetType().Name}: {ex.Message}", url)
        : $"HTTP {(int)outcome.Result!.StatusCode} {outcome.Result.StatusCode}";
}
