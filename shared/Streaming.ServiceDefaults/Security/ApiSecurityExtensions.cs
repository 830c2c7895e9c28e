using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Streaming.ServiceDefaults.Security;

/// <summary>
/// API keys and per-client rate limits for a service's HTTP API (<see cref="ApiKeyOptions"/>,
/// <see cref="ClientRateLimitOptions"/>). /health and /alive stay open for orchestrators; /metrics
/// and every endpoint marked with <see cref="RequireApiClient"/> need an authenticated client.
/// </summary>
public static class ApiSecurityExtensions
{
    public const string ClientPolicy = "api-client";

    public static TBuilder AddApiSecurity<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<ApiKeyOptions>()
            .Bind(builder.Configuration.GetSection(ApiKeyOptions.SectionName))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>());
        builder.Services.AddOptions<ClientRateLimitOptions>()
            .Bind(builder.Configuration.GetSection(ClientRateLimitOptions.SectionName))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClientRateLimitOptions>, ClientRateLimitOptionsValidator>());

        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ClientPolicy, policy => policy.RequireAuthenticatedUser());
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<ClientRateLimitOptions>>((limiter, limits) =>
        {
            var settings = limits.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsOpenPath(context.Request.Path)
                    ? RateLimitPartition.GetNoLimiter("open")
                    : RateLimitPartition.GetTokenBucketLimiter(ClientOf(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = settings.Burst,
                        TokensPerPeriod = settings.RequestsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                    })),
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsOpenPath(context.Request.Path)
                    ? RateLimitPartition.GetNoLimiter("open")
                    : RateLimitPartition.GetConcurrencyLimiter(ClientOf(context), _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = settings.ConcurrentRequests,
                        QueueLimit = 0,
                    })));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    detail: $"Client '{ClientOf(context.HttpContext)}' is over its limit ({settings.RequestsPerSecond} requests/s, burst {settings.Burst}, {settings.ConcurrentRequests} at once; RateLimits:*).",
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests.").ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>Authentication, then the /metrics guard, then the per-client limits (which need to know the client).</summary>
    public static WebApplication UseApiSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/metrics") && context.User.Identity?.IsAuthenticated != true)
            {
                await context.ChallengeAsync(ApiKeyAuthenticationHandler.SchemeName);
                return;
            }

            await next(context);
        });
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The endpoint needs an authenticated client (an API key, or loopback when no keys are configured).</summary>
    public static TBuilder RequireApiClient<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.RequireAuthorization(ClientPolicy);

    private static bool IsOpenPath(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/alive");

    /// <summary>The authenticated client's name (api-key-N, loopback), else its IP address.</summary>
    private static string ClientOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
