using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Streaming.Windows;

public static class WindowStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RedisWindowStore"/> with options from the "Windows" section, validated at
    /// start-up. The caller registers the <see cref="IConnectionMultiplexer"/>.
    /// </summary>
    public static IServiceCollection AddRedisWindowStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WindowOptions>().BindConfiguration(WindowOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WindowOptions>, WindowOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        // A factory, because the store also has an IDatabase constructor that DI must not choose between.
        services.TryAddSingleton(sp => new RedisWindowStore(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<IOptions<WindowOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
