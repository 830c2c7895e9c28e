using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Streaming.Redis;

/// <summary>The one Redis registration of every service: connection options, multiplexer and readiness check.</summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>Name of the readiness check that pings Redis.</summary>
    public const string HealthCheckName = "redis";

    /// <summary>
    /// One <see cref="IConnectionMultiplexer"/> per process from the "Redis" section (validated at
    /// start; it does not abort when Redis is down at start and reconnects by itself), and the
    /// readiness check <see cref="HealthCheckName"/> that pings it.
    /// </summary>
    public static IServiceCollection AddRedis(this IServiceCollection services, IConfiguration configuration) =>
        services.AddRedis(configuration, usedWhen: null);

    /// <summary>
    /// The same registration for a service that needs Redis only in some set-ups.
    /// <paramref name="usedWhen"/> (null: always) tells, from the started services, whether this
    /// set-up uses Redis; when it does not, nothing connects and the readiness check reports
    /// healthy without a ping. The multiplexer connects on first resolution only, and the
    /// connection string is validated then (not at start), so the service's own options validation
    /// names the setting that needs Redis.
    /// </summary>
    public static IServiceCollection AddRedis(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, bool>? usedWhen)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        // Registered once: a second call would add a second readiness check of the same name, which fails every probe.
        if (services.Any(d => d.ServiceType == typeof(RedisHealthCheck)))
            return services;

        var options = services.AddOptions<RedisOptions>()
            .Bind(configuration.GetSection(RedisOptions.SectionName))
            .ValidateDataAnnotations();
        if (usedWhen is null)
            options.ValidateOnStart();

        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
        {
            var connection = ConfigurationOptions.Parse(sp.GetRequiredService<IOptions<RedisOptions>>().Value.ConnectionString);
            connection.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(connection);
        });
        services.AddSingleton(sp => new RedisHealthCheck(sp, usedWhen));
        services.AddHealthChecks().AddCheck<RedisHealthCheck>(HealthCheckName);
        return services;
    }
}
