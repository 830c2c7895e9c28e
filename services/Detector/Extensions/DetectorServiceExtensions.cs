using Microsoft.Extensions.Options;
using Streaming.Detection.Windows;
using Streaming.Detector.Online;
using Streaming.Detector.Windows;
using Streaming.Redis;
using Streaming.Windows;

namespace Streaming.Detector.Extensions;

public static class DetectorServiceExtensions
{
    /// <summary>Options (validated at start), and per Detector:Mode the window consumer (with Redis and the window reader) and/or the online consumer.</summary>
    public static IHostApplicationBuilder AddDetector(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DetectorOptions>()
            .Bind(builder.Configuration.GetSection(DetectorOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => File.Exists(o.ReferencePath), "Detector:ReferencePath does not point to a file; run `control calibrate` first.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Online.InputTopic), "Detector:Online:InputTopic is required.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Online.GroupId), "Detector:Online:GroupId is required.")
            .Validate(o => o.Scan.NullWindows is >= 99 and <= 100_000, "Detector:Scan:NullWindows must be between 99 and 100000.")
            .Validate(o => o.Scan.PrepareWindowSize is >= 2 and <= 100_000, "Detector:Scan:PrepareWindowSize must be between 2 and 100000.")
            .Validate(o => Enum.IsDefined(o.Scan.Statistic), "Detector:Scan:Statistic must be BerkJones or HigherCriticism.")
            .ValidateOnStart();

        // The same reading of Detector:Mode as PrepareDetectors (an invalid mode registers nothing and fails validation at start).
        var settings = new DetectorOptions();
        builder.Configuration.GetSection(DetectorOptions.SectionName).Bind(settings);
        if (settings.RunsWindows)
        {
            builder.Services.AddRedis(builder.Configuration);
            builder.Services.AddRedisWindowReader();
            builder.Services.AddSingleton<WindowTestRunner>();
            builder.Services.AddHostedService<WindowConsumer>();
        }
        if (settings.RunsOnline)
        {
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
