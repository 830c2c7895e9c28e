using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Streaming.Contracts.Validation;
using Streaming.Inference.Capture;

namespace Streaming.Inference;

/// <summary>Model and limits of the inference service (section "Inference").</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary>Folder written by `control train` (weights + manifest.json); exactly one of this and TorchScript:Path.</summary>
    public string ModelDirectory { get; set; } = "";

    /// <summary>A TorchScript model served instead of <see cref="ModelDirectory"/>.</summary>
    public TorchScriptOptions TorchScript { get; set; } = new();

    public bool ServesTorchScript => !string.IsNullOrWhiteSpace(TorchScript.Path);

    [Required(ErrorMessage = "Inference:Topic is required.")]
    public string Topic { get; set; } = Contracts.Topics.Activations;

    [SettingRange(1, 4096, ErrorMessage = "Inference:MaxBatch must be between 1 and 4096.")]
    public int MaxBatch { get; set; } = 256;

    /// <summary>Largest accepted request body; bigger requests get a 400 that says so.</summary>
    [SettingRange(1024, 256 * 1024 * 1024, ErrorMessage = "Inference:MaxRequestBytes must be between 1 KiB and 256 MiB.")]
    public int MaxRequestBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long a request waits for Kafka to confirm its events before it is answered 503.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Inference:PublishTimeout must be between 1 s and 5 min.")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Layers to capture (Inference:Layers:N:Name/Reduction/ProjectionDim/Seed); empty means the manifest's.</summary>
    public List<LayerOptions> Layers { get; set; } = [];

    /// <summary>Keeping input images for the console (Inference:CaptureInputs:Enabled, Ttl, MaxImages); off by default.</summary>
    [ValidateObjectMembers]
    public InputCaptureOptions CaptureInputs { get; set; } = new();
}
