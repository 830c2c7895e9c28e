using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Streaming.Redis;

/// <summary>Readiness: Redis answers PING. A set-up that does not use Redis (see <see cref="RedisServiceCollectionExtensions.AddRedis(IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration, Func{IServiceProvider, bool}?)"/>) is ready without it.</summary>
internal sealed class RedisHealthCheck(IServiceProvider services, Func<IServiceProvider, bool>? usedWhen) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (usedWhen is not null && !usedWhen(services))
            return HealthCheckResult.Healthy("Redis is not used in this set-up.");

        try
        {
            var latency = await services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.0} ms");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer PING.", ex);
        }
    }
}
