using Microsoft.Extensions.Options;

namespace Streaming.Detection.WindowTest;

/// <summary>
/// The rule attributes cannot say: Detector:ReferencePath is required, and must name an existing file, only
/// when something reads it (the window test in file mode, the online detector); a registry-mode Detector
/// ignores it.
/// </summary>
public sealed class DetectorReferenceSourceValidator : IValidateOptions<DetectorOptions>
{
    public ValidateOptionsResult Validate(string? name, DetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RunsWindows && !options.UsesRegistry && string.IsNullOrWhiteSpace(options.ReferencePath))
            return ValidateOptionsResult.Fail("Detector:ReferencePath is required (a file written by `control calibrate`) unless Detector:ReferenceSource is registry.");
        if (options.RunsOnline && string.IsNullOrWhiteSpace(options.ReferencePath))
            return ValidateOptionsResult.Fail("Detector:ReferencePath is required by the online detector (Detector:Mode online or both); the registry serves the window test only.");
        var needed = (options.RunsWindows && !options.UsesRegistry) || options.RunsOnline;
        if (needed && !File.Exists(options.ReferencePath))
            return ValidateOptionsResult.Fail($"Detector:ReferencePath does not point to a file ('{options.ReferencePath}'); run `control calibrate` first.");
        return ValidateOptionsResult.Success;
    }
}
