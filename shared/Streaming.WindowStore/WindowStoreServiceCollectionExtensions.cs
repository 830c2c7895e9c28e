using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Streaming.WindowStore;

/// <summary>
/// The two sides of the window store: the writer for the Windowing service, the reader for the
/// Detector. Both expect the caller to register the <see cref="IConnectionMultiplexer"/>
/// (Streaming.Redis' AddRedis).
/// </summary>
public static class WindowStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RedisWindowWriter"/> with options from the "WindowStore" section, validated
    /// at start-up.
    /// </summary>
    public static IServiceCollection AddRedisWindowWriter(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WindowOptions>()
            .Configure<IConfiguration>((options, configuration) => WindowStoreSection.Select(configuration).Section.Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LegacyWindowSectionWarning>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WindowOptions>, WindowOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        // A factory, because the writer also has an IDatabase constructor that DI must not choose between.
        services.TryAddSingleton(sp => new RedisWindowWriter(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<IOptions<WindowOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>Registers <see cref="RedisWindowReader"/>, which needs no window settings.</summary>
    /// <param name="parsedEvents">
    /// How many recently read events it keeps parsed (<see cref="ParsedEventCache"/>), from the resolved
    /// services (a reader's options); 0 or none: every read parses.
    /// </param>
    public static IServiceCollection AddRedisWindowReader(this IServiceCollection services, Func<IServiceProvider, int>? parsedEvents = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new RedisWindowReader(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            parsedEvents?.Invoke(sp) is > 0 and var capacity ? new ParsedEventCache(Math.Max(2, capacity)) : null));
        return services;
    }
}
