using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Streaming.Windows;

public static class WindowStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RedisWindowStore"/> with options from the "Windows" section, validated at
    /// start-up. The caller registers the <see cref="StackExchange.Redis.IConnectionMultiplexer"/>.
    /// </summary>
    public static IServiceCollection AddRedisWindowStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WindowOptions>().BindConfiguration(WindowOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WindowOptions>, WindowOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RedisWindowStore>();
        return services;
    }
}
