using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Streaming.Contracts.Validation;

namespace Streaming.Detection.WindowTest;

/// <summary>Test settings and topics of the detector (section "Detector").</summary>
public sealed class DetectorOptions
{
    public const string SectionName = "Detector";

    [Required(ErrorMessage = "Detector:InputTopic is required.")]
    public string InputTopic { get; set; } = Contracts.Topics.Windows;

    [Required(ErrorMessage = "Detector:DetectionsTopic is required.")]
    public string DetectionsTopic { get; set; } = Contracts.Topics.Detections;

    [Required(ErrorMessage = "Detector:AlertsTopic is required.")]
    public string AlertsTopic { get; set; } = Contracts.Topics.Alerts;

    [Required(ErrorMessage = "Detector:GroupId is required.")]
    public string GroupId { get; set; } = "detector";

    /// <summary>
    /// "file" (default): one reference file, Detector:ReferencePath, windows of its model only.
    /// "registry": every model version with an active reference in the reference registry (Redis; Detector:Registry).
    /// </summary>
    [RegularExpression("^(file|registry)$", ErrorMessage = "Detector:ReferenceSource must be file or registry.")]
    public string ReferenceSource { get; set; } = "file";

    public bool UsesRegistry => ReferenceSource == "registry";

    /// <summary>
    /// Reference file written by `control calibrate`; required, and must exist, when Detector:ReferenceSource
    /// is file or the online detector runs (checked by <see cref="DetectorReferenceSourceValidator"/>); ignored
    /// otherwise, so a registry-mode Detector starts with the compose default path set and no file there.
    /// </summary>
    public string ReferencePath { get; set; } = "";

    [SettingRange(1e-6, 0.5, ErrorMessage = "Detector:Alpha must be between 1e-6 and 0.5.")]
    public double Alpha { get; set; } = 0.05;

    [SettingRange(19, 100_000, ErrorMessage = "Detector:Permutations must be between 19 and 100000.")]
    public int Permutations { get; set; } = 500;

    public CorrectionMethod Correction { get; set; } = CorrectionMethod.Bonferroni;

    [SettingRange(0, 1000, ErrorMessage = "Detector:TopK must be between 0 and 1000.")]
    public int TopK { get; set; } = 10;

    /// <summary>"cpu", "cuda" or "auto" (cuda when available).</summary>
    [RegularExpression("^(cpu|cuda|cuda:[0-9]+|auto)$", ErrorMessage = "Detector:Device must be cpu, cuda, cuda:N or auto.")]
    public string Device { get; set; } = "auto";

    /// <summary>
    /// What computes the window MMD statistics: TorchSharp on Detector:Device (the default), ILGPU
    /// (a CUDA GPU when the driver finds one, else ILGPU's CPU accelerator, which is for tests), or
    /// Auto (ILGPU when it finds a CUDA GPU, TorchSharp otherwise). Under ILGPU (or Auto with a GPU)
    /// the per-input scores' distances and the subset scan's levels run on the same device; otherwise
    /// on the CPU. The start-up log names the choice of each.
    /// </summary>
    [EnumDataType(typeof(ComputeBackend), ErrorMessage = "Detector:Backend must be TorchSharp, ILGPU or Auto.")]
    public ComputeBackend Backend { get; set; } = ComputeBackend.TorchSharp;

    public int Seed { get; set; } = 12345;

    /// <summary>
    /// Score every event of a window against the reference's calibration split (conformal p-values)
    /// and decide the window over the MMD tests and those scores together. Needs a reference written
    /// by `control calibrate` with a calibration split (format 2); without one the MMD tests decide alone.
    /// </summary>
    public bool InputScores { get; set; } = true;

    /// <summary>
    /// Events whose per-input scores and scan levels are kept per reference for the other windows
    /// holding them (each event is in about four: two overlapping windows of its stream and two of its
    /// model's). Least recently used out; about 2 KB per event for the small CNN's layers (the vectors
    /// are kept to check a hit is the same input bit for bit). With Detector:Mmd:Null = Precomputed as many
    /// events' cross-kernel sums against the reference are kept too (<see cref="CrossSumCache"/>, about
    /// 1 KB each). 0 computes every event in every window.
    /// </summary>
    [SettingRange(0, 1_000_000, ErrorMessage = "Detector:EventCache must be between 0 and 1000000.")]
    public int EventCache { get; set; } = 4096;

    /// <summary>
    /// Windows of the reference file's own clean rows tested at start, before consuming (file mode), so that
    /// the first real windows do not pay the compilation of the test path (<see cref="TesterWarmUp"/>). 0 = none.
    /// </summary>
    [SettingRange(0, 64, ErrorMessage = "Detector:WarmUpWindows must be between 0 and 64.")]
    public int WarmUpWindows { get; set; } = 2;

    /// <summary>Where the MMD tests' null comes from: permutations per window or precomputed from the calibration split.</summary>
    [ValidateObjectMembers]
    public MmdSettings Mmd { get; set; } = new();

    /// <summary>The subset scan of every window, the third family of the window decision.</summary>
    [ValidateObjectMembers]
    public ScanSettings Scan { get; set; } = new();

    /// <summary>"windows" (the window test, default), "online" (the sequential detector on single events) or "both".</summary>
    [RegularExpression("^(windows|online|both)$", ErrorMessage = "Detector:Mode must be windows, online or both.")]
    public string Mode { get; set; } = "windows";

    [ValidateObjectMembers]
    public OnlineDetectorOptions Online { get; set; } = new();

    /// <summary>The reference registry of Detector:ReferenceSource registry.</summary>
    [ValidateObjectMembers]
    public RegistrySettings Registry { get; set; } = new();

    public bool RunsWindows => Mode is "windows" or "both";

    public bool RunsOnline => Mode is "online" or "both";

    /// <summary>
    /// Most windows of a backlog tested in one device call (1: one at a time). A batch publishes its
    /// results when its last window is tested, so batching trades the latency of the first windows for
    /// throughput: on the CPU a batch costs about the sum of its windows and the demo's p50 latency rose
    /// from 0.5 s to 4.2 s with 16, hence the default (with the precomputed null 16 sustains 1.09-1.16x more on a flood
    /// at about the same latency at half rate; with permutations it is worse on the CPU); on a GPU a batch
    /// should cost little more than one window.
    /// </summary>
    [SettingRange(1, 256, ErrorMessage = "Detector:MaxBatch must be between 1 and 256.")]
    public int MaxBatch { get; set; } = 1;
}
