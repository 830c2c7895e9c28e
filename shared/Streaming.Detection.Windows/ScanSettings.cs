using Streaming.Detection.Scanning;

namespace Streaming.Detection.Windows;

/// <summary>The subset scan of every window (section "Detector:Scan"; validated in AddDetector).</summary>
public sealed class ScanSettings
{
    /// <summary>Scan every window (needs a reference with a calibration split, as per-input scores do).</summary>
    public bool Enabled { get; set; } = true;

    public ScanStatistic Statistic { get; set; } = ScanStatistic.BerkJones;

    /// <summary>Clean windows simulated for the scan's null; its smallest p-value is 1/(NullWindows + 1).</summary>
    public int NullWindows { get; set; } = 500;

    /// <summary>The window size whose null is built at start (the Windows:Size of the pipeline); others are built on first use.</summary>
    public int PrepareWindowSize { get; set; } = 100;
}
