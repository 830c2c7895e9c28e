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
    /// The default stays Permutation: the precomputed null is not exact (every p-value shares its one finite
    /// pool's chance offset), and on small-cnn it was a little conservative, losing MMD power at partial attack
    /// shares, for 10-14x the windows/s of permutations (docs/measurements.md, "Precomputed MMD null").
    /// </summary>
    [EnumDataType(typeof(MmdNullMode), ErrorMessage = "Detector:Mmd:Null must be Permutation or Precomputed.")]
    public MmdNullMode Null { get; set; } = MmdNullMode.Permutation;

    /// <summary>Clean calibration windows per precomputed null; its smallest p-value is 1/(NullWindows + 1).</summary>
    [SettingRange(99, 100_000, ErrorMessage = "Detector:Mmd:NullWindows must be between 99 and 100000.")]
    public int NullWindows { get; set; } = 2000;

    /// <summary>The window size whose precomputed null is built at start (the WindowStore:Size of the pipeline); others on first use.</summary>
    [SettingRange(2, 100_000, ErrorMessage = "Detector:Mmd:PrepareWindowSize must be between 2 and 100000.")]
    public int PrepareWindowSize { get; set; } = 100;

    /// <summary>
    /// Threads the precomputed null's statistic (managed code, on the CPU) may use per batch of windows; 0: as many
    /// as TorchSharp's (OMP_NUM_THREADS), which the permutations use. The results are the same with any number.
    /// </summary>
    [SettingRange(0, 1024, ErrorMessage = "Detector:Mmd:HostThreads must be between 0 and 1024.")]
    public int HostThreads { get; set; }
}
