using Microsoft.Extensions.Options;
using Streaming.Redis;

namespace Streaming.Inference.Capture;

/// <summary>Input capture keeps the images in Redis: enabled without a Redis connection fails the start, naming both keys.</summary>
public sealed class InputCaptureValidator(IConfiguration configuration) : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CaptureInputs.Enabled && string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.SectionName}:{nameof(RedisOptions.ConnectionString)}"]))
            return ValidateOptionsResult.Fail("Inference:CaptureInputs:Enabled is true but Redis:ConnectionString is empty: captured inputs are kept in Redis (set it, or turn capture off).");
        return ValidateOptionsResult.Success;
    }
}
