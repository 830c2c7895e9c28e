namespace Streaming.Detection.Scoring;

/// <summary>A reference set without the calibration split that per-input scoring needs (a format v1 file, or one built without it).</summary>
public sealed class MissingCalibrationException(string message) : InvalidOperationException(message)
{
    /// <summary>The message for a reference that came from a file of <paramref name="formatVersion"/>.</summary>
    public static string Describe(int formatVersion) => formatVersion < 2
        ? $"The reference file is format v{formatVersion}, which has no calibration split; per-input scoring needs one. Run `control calibrate` again to write a format v2 reference."
        : "The reference set has no calibration split; per-input scoring needs one. Run `control calibrate` to write a reference with it.";
}
