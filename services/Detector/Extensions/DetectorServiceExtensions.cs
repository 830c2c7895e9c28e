using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Streaming.Detection.WindowTest;
using Streaming.Detector.Online;
using Streaming.Detector.References;
using Streaming.Detector.Windows;
using Streaming.Redis;
using Streaming.ReferenceRegistry;
using Streaming.WindowStore;

namespace Streaming.Detector.Extensions;

public static class DetectorServiceExtensions
{
    /// <summary>Options (validated at start), and per Detector:Mode the window consumer (with Redis and the window reader) and/or the online consumer.</summary>
    public static IHostApplicationBuilder AddDetector(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DetectorOptions>()
            .Bind(builder.Configuration.GetSection(DetectorOptions.SectionName))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DetectorOptions>, DetectorOptionsValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DetectorOptions>, DetectorReferenceSourceValidator>());

        // The same reading of Detector:Mode as PrepareDetectors (an invalid mode registers nothing and fails validation at start).
        var settings = new DetectorOptions();
        builder.Configuration.GetSection(DetectorOptions.SectionName).Bind(settings);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<DetectorMetrics>();
        builder.Services.AddSingleton<DetectionMessageMetrics>();
        if (settings.RunsWindows)
        {
            builder.Services.AddRedis(builder.Configuration);
            // Each event is read in about four windows; parsed once (byte-identical reads share it) with the per-event caches.
            builder.Services.AddRedisWindowReader(sp => sp.GetRequiredService<IOptions<DetectorOptions>>().Value.EventCache);
            if (settings.UsesRegistry)
            {
                builder.Services.TryAddSingleton(TimeProvider.System);
                builder.Services.AddSingleton(sp => new ReferenceRegistryStore(
                    sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<DetectorOptions>>().Value.Registry.KeyPrefix, sp.GetRequiredService<TimeProvider>()));
                builder.Services.AddSingleton<RegistrySnapshot>();
                builder.Services.AddHostedService<RegistryPoller>();
                builder.Services.AddSingleton<IWindowReferences, RegistryWindowReferences>();
            }
            else
            {
                builder.Services.AddSingleton<WindowTestRunner>();
                builder.Services.AddSingleton<IWindowReferences, FileWindowReferences>();
            }
            builder.Services.AddHostedService<WindowConsumer>();
        }
        if (settings.RunsOnline)
        {
            if (settings.Online.State == OnlineStateStore.Redis)
            {
                builder.Services.AddRedis(builder.Configuration);
                builder.Services.AddSingleton<IOnlineStreamStore, RedisOnlineStreamStore>();
            }
            else
            {
                builder.Services.AddSingleton<IOnlineStreamStore, MemoryOnlineStreamStore>();
            }
            builder.Services.AddSingleton<OnlineDetectorRunner>();
            builder.Services.AddHostedService<OnlineActivationConsumer>();
        }
        return builder;
    }

    /// <summary>
    /// Loads the reference (and calibrates the online thresholds) before consuming, so a bad
    /// reference file or setting fails the start with its reason instead of the first message.
    /// The registry's references load on first use instead (a bad one costs its own windows only).
    /// </summary>
    public static void PrepareDetectors(this IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DetectorOptions>>().Value;
        if (options.RunsWindows) services.GetRequiredService<IWindowReferences>();
        if (options.RunsOnline) services.GetRequiredService<OnlineDetectorRunner>();
    }
}
