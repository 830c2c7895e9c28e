using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Streaming.Alerting.Diagnostics;
using Streaming.Alerting.Options;

namespace Streaming.Alerting.Delivery;

/// <summary>
/// Builds the one resilience pipeline every webhook delivery runs through, outer to inner:
/// retry (jittered exponential backoff) around a per-attempt timeout. It is the only retry layer:
/// the webhook HttpClient has the ServiceDefaults standard handler removed.
/// </summary>
public static class WebhookPipelineFactory
{
    /// <summary>Which webhook an execution is for, so retries can be logged with it.</summary>
    public static readonly ResiliencePropertyKey<string> TargetKey = new("alerting.target");

    /// <summary>Which alert an execution is for.</summary>
    public static readonly ResiliencePropertyKey<string> AlertIdKey = new("alerting.alert-id");

    public static ResiliencePipeline<HttpResponseMessage> Create(AlertingOptions options, TimeProvider timeProvider, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    AlertingLog.Retrying(
                        logger,
                        args.Context.Properties.GetValue(AlertIdKey, "?"),
                        args.Context.Properties.GetValue(TargetKey, "?"),
                        args.AttemptNumber + 1,
                        Describe(args.Outcome),
                        args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(options.AttemptTimeout);
        return builder.Build();
    }

    /// <summary>Worth another try: 5xx, 408, 429, a network failure or an attempt that timed out.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500
            || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        _ => false,
    };

    /// <summary>"HTTP 503 ServiceUnavailable" or "HttpRequestException: Connection refused".</summary>
    public static string Describe(Outcome<HttpResponseMessage> outcome) => outcome.Exception is { } ex
        ? $"{ex.GetType().Name}: {ex.Message}"
        : $"HTTP {(int)outcome.Result!.StatusCode} {outcome.Result.StatusCode}";
}
