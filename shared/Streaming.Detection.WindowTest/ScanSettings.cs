using System.ComponentModel.DataAnnotations;
using Streaming.Contracts.Validation;
using Streaming.Detection.Scanning;

namespace Streaming.Detection.WindowTest;

/// <summary>The subset scan of every window (section "Detector:Scan"; validated at start with DetectorOptions).</summary>
public sealed class ScanSettings
{
    /// <summary>Scan every window (needs a reference with a calibration split, as per-input scores do).</summary>
    public bool Enabled { get; set; } = true;

    [EnumDataType(typeof(ScanStatistic), ErrorMessage = "Detector:Scan:Statistic must be BerkJones or HigherCriticism.")]
    public ScanStatistic Statistic { get; set; } = ScanStatistic.BerkJones;

    /// <summary>Clean windows simulated for the scan's null; its smallest p-value is 1/(NullWindows + 1).</summary>
    [SettingRange(99, 100_000, ErrorMessage = "Detector:Scan:NullWindows must be between 99 and 100000.")]
    public int NullWindows { get; set; } = 500;

    /// <summary>The window size whose null is built at start (the WindowStore:Size of the pipeline); others are built on first use.</summary>
    [SettingRange(2, 100_000, ErrorMessage = "Detector:Scan:PrepareWindowSize must be between 2 and 100000.")]
    public int PrepareWindowSize { get; set; } = 100;
}
