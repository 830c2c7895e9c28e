using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Streaming.Redis;
using Streaming.Windowing.Publishing;
using Streaming.WindowStore;

namespace Streaming.Windowing.Extensions;

public static class WindowingServiceExtensions
{
    public static IHostApplicationBuilder AddWindowing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WindowingOptions>()
            .Bind(builder.Configuration.GetSection(WindowingOptions.SectionName))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WindowingOptions>, WindowingOptionsValidator>());
        builder.Services.AddRedis(builder.Configuration);
        builder.Services.AddRedisWindowWriter();
        builder.Services.AddSingleton<WindowDeadLetters>();
        builder.Services.AddSingleton<WindowOutboxPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WindowOutboxPublisher>());
        builder.Services.AddHealthChecks().AddCheck<WindowOutboxHealthCheck>("window-outbox");
        builder.Services.AddHostedService<ActivationConsumer>();
        return builder;
    }
}
