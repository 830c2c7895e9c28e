namespace Streaming.Inference.Extensions;

public static class InferenceServiceExtensions
{
    public static IHostApplicationBuilder AddInference(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<InferenceOptions>()
            .Bind(builder.Configuration.GetSection(InferenceOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => Directory.Exists(o.ModelDirectory), "Inference:ModelDirectory does not exist; run `control train` first.")
            .ValidateOnStart();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddSingleton<ActivationPublisher>();
        return builder;
    }
}
