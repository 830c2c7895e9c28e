using Streaming.Windows;

namespace Streaming.Detector.Extensions;

public static class DetectorServiceExtensions
{
    public static IHostApplicationBuilder AddDetector(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DetectorOptions>()
            .Bind(builder.Configuration.GetSection(DetectorOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => File.Exists(o.ReferencePath), "Detector:ReferencePath does not point to a file; run `control calibrate` first.")
            .ValidateOnStart();
        builder.Services.AddRedisWindows(builder.Configuration);
        builder.Services.AddSingleton<WindowTestRunner>();
        builder.Services.AddHostedService<WindowConsumer>();
        return builder;
    }
}
