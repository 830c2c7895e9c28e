namespace Streaming.Detection.WindowTest;

/// <summary>Values of DetectionResult.status.</summary>
public static class DetectionStatus
{
    /// <summary>The window was tested (events published before the field existed leave it empty, meaning the same).</summary>
    public const string Tested = "tested";

    /// <summary>Fewer than <see cref="PreparedWindow.MinimumEvents"/> events could be tested: no statistic, no alert.</summary>
    public const string InsufficientEvents = "insufficient_events";

    /// <summary>No active reference in the registry serves the window's model version (and no fallback applies): not tested, no alert.</summary>
    public const string Uncalibrated = "uncalibrated";

    /// <summary>The active reference of the window's model version could not be loaded (corrupt or missing in the registry): not tested, no alert.</summary>
    public const string ReferenceUnavailable = "reference_unavailable";
}
