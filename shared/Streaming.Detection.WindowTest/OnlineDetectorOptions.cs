using System.ComponentModel.DataAnnotations;
using Streaming.Contracts.Validation;

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

    /// <summary>
    /// Where each stream's state lives between events: Redis (default; the state moves with its
    /// partition to another instance and survives a restart) or Memory (a moved or restarted stream
    /// starts again from the clean initial window).
    /// </summary>
    [EnumDataType(typeof(OnlineStateStore), ErrorMessage = "Detector:Online:State must be Redis or Memory.")]
    public OnlineStateStore State { get; set; } = OnlineStateStore.Redis;

    /// <summary>Prefix of the Redis keys of the online state.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Detector:Online:StateKeyPrefix is required.")]
    public string StateKeyPrefix { get; set; } = "sw:online";

    /// <summary>A stream idle for longer starts again from the clean window (its Redis keys expire, its memory is freed).</summary>
    [SettingRange(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Detector:Online:StateTtl must be between 1 minute and 7 days.")]
    public TimeSpan StateTtl { get; set; } = TimeSpan.FromHours(1);
}
