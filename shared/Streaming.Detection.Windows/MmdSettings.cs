namespace Streaming.Detection.Windows;

/// <summary>The null of the window MMD tests (section "Detector:Mmd"; validated in AddDetector).</summary>
public sealed class MmdSettings
{
    /// <summary>
    /// Permutation: P permutations per window (Detector:Permutations). Precomputed: clean windows drawn
    /// once per window size from the reference's calibration split, a window costs only its statistic;
    /// a reference without calibration split, or a window larger than the split, runs permutations.
    /// The default is Precomputed: on small-cnn it tested 18-31x the windows/s of permutations in the same
    /// run, with clean false alarms at or below α and the same MMD decision on 93-100 % of clean and
    /// attacked windows (docs/measurements.md, "Precomputed MMD null").
    /// </summary>
    public MmdNullMode Null { get; set; } = MmdNullMode.Precomputed;

    /// <summary>Clean calibration windows per precomputed null; its smallest p-value is 1/(NullWindows + 1).</summary>
    public int NullWindows { get; set; } = 2000;

    /// <summary>The window size whose precomputed null is built at start (the Windows:Size of the pipeline); others on first use.</summary>
    public int PrepareWindowSize { get; set; } = 100;
}
