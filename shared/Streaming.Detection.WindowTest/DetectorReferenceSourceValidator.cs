using Microsoft.Extensions.Options;

namespace Streaming.Detection.WindowTest;

/// <summary>The rule attributes cannot say: Detector:ReferencePath is required when the references come from a file.</summary>
public sealed class DetectorReferenceSourceValidator : IValidateOptions<DetectorOptions>
{
    public ValidateOptionsResult Validate(string? name, DetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RunsWindows && !options.UsesRegistry && string.IsNullOrWhiteSpace(options.ReferencePath))
            return ValidateOptionsResult.Fail("Detector:ReferencePath is required (a file written by `control calibrate`) unless Detector:ReferenceSource is registry.");
        if (options.RunsOnline && string.IsNullOrWhiteSpace(options.ReferencePath))
            return ValidateOptionsResult.Fail("Detector:ReferencePath is required by the online detector (Detector:Mode online or both); the registry serves the window test only.");
        return ValidateOptionsResult.Success;
    }
}
