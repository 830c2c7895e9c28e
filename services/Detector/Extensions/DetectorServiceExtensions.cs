using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Streaming.Detection.WindowTest;
using Streaming.Detector.Online;
using Streaming.Detector.Windows;
using Streaming.Redis;
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

        // The same reading of Detector:Mode as PrepareDetectors (an invalid mode registers nothing and fails validation at start).
        var settings = new DetectorOptions();
        builder.Configuration.GetSection(DetectorOptions.SectionName).Bind(settings);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<DetectorMetrics>();
        builder.Services.AddSingleton<DetectionMessageMetrics>();
        if (settings.RunsWindows)
        {
            builder.Services.AddRedis(builder.Configuration);
            builder.Services.AddRedisWindowReader();
            builder.Services.AddSingleton<WindowTestRunner>();
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
    /// </summary>
    public static void PrepareDetectors(this IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DetectorOptions>>().Value;
        if (options.RunsWindows) services.GetRequiredService<WindowTestRunner>();
        if (options.RunsOnline) services.GetRequiredService<OnlineDetectorRunner>();
    }
}
