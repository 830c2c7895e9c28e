using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Streaming.Inference.Capture;
using Streaming.Redis;

namespace Streaming.Inference.Extensions;

public static class InferenceServiceExtensions
{
    public static IHostApplicationBuilder AddInference(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<InferenceOptions>()
            .Bind(builder.Configuration.GetSection(InferenceOptions.SectionName))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InferenceOptions>, InferenceOptionsValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InferenceOptions>, InferenceModelValidator>());
        builder.Services.AddProblemDetails();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<InferenceMetrics>();
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddSingleton<ActivationPublisher>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InferenceOptions>, InputCaptureValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<InputCapture>();
        // Redis only when inputs are captured: a deployment that keeps none needs no Redis.
        builder.Services.AddRedis(builder.Configuration, usedWhen: sp => sp.GetRequiredService<IOptions<InferenceOptions>>().Value.CaptureInputs.Enabled);
        return builder;
    }
}
