using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Streaming.Alerting.Extensions;

public static class DeferredServiceExtensions
{
    /// <summary>
    /// Registers <see cref="Lazy{T}"/> of a registered singleton, for a consumer that needs it only
    /// in some set-ups: the Redis-backed stores connect when created, so a set-up that never reads
    /// <see cref="Lazy{T}.Value"/> (no stateful rule, retry store off) never connects to Redis.
    /// </summary>
    public static IServiceCollection AddDeferred<T>(this IServiceCollection services) where T : class
    {
        services.TryAddSingleton(sp => new Lazy<T>(sp.GetRequiredService<T>));
        return services;
    }
}
