using System.ComponentModel.DataAnnotations;
using Streaming.Contracts.Validation;

namespace Streaming.Windowing;

/// <summary>Topics and group of the windowing service (section "Windowing").</summary>
public sealed class WindowingOptions
{
    public const string SectionName = "Windowing";

    [Required(ErrorMessage = "Windowing:InputTopic is required.")]
    public string InputTopic { get; set; } = Contracts.Topics.Activations;

    [Required(ErrorMessage = "Windowing:OutputTopic is required.")]
    public string OutputTopic { get; set; } = Contracts.Topics.Windows;

    [Required(ErrorMessage = "Windowing:GroupId is required.")]
    public string GroupId { get; set; } = "windowing";

    /// <summary>How often streams are checked for a time flush (max_wait reached with min_size events).</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00.050", "01:00:00", ErrorMessage = "Windowing:FlushInterval must be between 50 ms and 1 h.")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// At most this many already-fetched events are appended with one pipelined Redis round trip
    /// (1: one at a time). Bounds the memory and the replay of one batch.
    /// </summary>
    [SettingRange(1, 10_000, ErrorMessage = "Windowing:MaxBatch must be between 1 and 10000.")]
    public int MaxBatch { get; set; } = 500;

    /// <summary>
    /// A batch goes to Redis in chunks of this many events, each prepared while Redis runs the one
    /// before (so neither waits idle for the other); smaller chunks overlap sooner but cost more
    /// script runs per window.
    /// </summary>
    [SettingRange(1, 10_000, ErrorMessage = "Windowing:AppendChunk must be between 1 and 10000.")]
    public int AppendChunk { get; set; } = 250;
}
