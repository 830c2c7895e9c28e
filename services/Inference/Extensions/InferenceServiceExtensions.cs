using Microsoft.Extensions.Options;

namespace Streaming.Inference.Extensions;

public static class InferenceServiceExtensions
{
    public static IHostApplicationBuilder AddInference(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<InferenceOptions>()
            .Bind(builder.Configuration.GetSection(InferenceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<InferenceOptions>, InferenceOptionsValidator>();
        builder.Services.AddProblemDetails();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<InferenceMetrics>();
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddSingleton<ActivationPublisher>();
        return builder;
    }
}
