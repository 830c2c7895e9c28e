namespace Streaming.Detection.WindowTest;

/// <summary>Values of DetectionResult.status.</summary>
public static class DetectionStatus
{
    /// <summary>The window was tested (events published before the field existed leave it empty, meaning the same).</summary>
    public const string Tested = "tested";

    /// <summary>Fewer than <see cref="PreparedWindow.MinimumEvents"/> events could be tested: no statistic, no alert.</summary>
    public const string InsufficientEvents = "insufficient_events";
}
