using System.ComponentModel.DataAnnotations;
using Streaming.Contracts.Validation;

namespace Streaming.Detection.WindowTest;

/// <summary>The null of the window MMD tests (section "Detector:Mmd"; validated at start with DetectorOptions).</summary>
public sealed class MmdSettings
{
    /// <summary>
    /// Permutation: P permutations per window (Detector:Permutations). Precomputed: clean windows drawn
    /// once per window size from the reference's calibration split, a window costs only its statistic;
    /// a reference without calibration split, or a window larger than the split, runs permutations.
    /// The default stays Permutation: on small-cnn the precomputed null tested only 3.5-3.9x the windows/s
    /// of permutations (interleaved in one run), not 10x, and it was a little conservative, losing MMD
    /// power at partial attack shares (docs/measurements.md, "Precomputed MMD null").
    /// </summary>
    [EnumDataType(typeof(MmdNullMode), ErrorMessage = "Detector:Mmd:Null must be Permutation or Precomputed.")]
    public MmdNullMode Null { get; set; } = MmdNullMode.Permutation;

    /// <summary>Clean calibration windows per precomputed null; its smallest p-value is 1/(NullWindows + 1).</summary>
    [SettingRange(99, 100_000, ErrorMessage = "Detector:Mmd:NullWindows must be between 99 and 100000.")]
    public int NullWindows { get; set; } = 2000;

    /// <summary>The window size whose precomputed null is built at start (the WindowStore:Size of the pipeline); others on first use.</summary>
    [SettingRange(2, 100_000, ErrorMessage = "Detector:Mmd:PrepareWindowSize must be between 2 and 100000.")]
    public int PrepareWindowSize { get; set; } = 100;
}
