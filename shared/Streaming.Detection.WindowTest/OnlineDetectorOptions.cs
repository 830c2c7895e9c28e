using System.ComponentModel.DataAnnotations;

namespace Streaming.Detection.WindowTest;

/// <summary>The sequential detector of single-event streams (section "Detector:Online"), used when Detector:Mode is online or both.</summary>
public sealed class OnlineDetectorOptions
{
    /// <summary>Activation events are consumed directly, one detector state per (model, stream).</summary>
    [Required(ErrorMessage = "Detector:Online:InputTopic is required.")]
    public string InputTopic { get; set; } = Contracts.Topics.Activations;

    [Required(ErrorMessage = "Detector:Online:GroupId is required.")]
    public string GroupId { get; set; } = "detector-online";

    /// <summary>W: events in each stream's sliding window.</summary>
    public int WindowSize { get; set; } = 20;

    /// <summary>Configured mean number of clean events between false alarms, per stream.</summary>
    public double ExpectedRunTime { get; set; } = 2000;

    /// <summary>Simulated clean streams for the thresholds; at least 5 × ExpectedRunTime × layers.</summary>
    public int Bootstraps { get; set; } = 50_000;
}
