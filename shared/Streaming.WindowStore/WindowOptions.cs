namespace Streaming.WindowStore;

/// <summary>Sliding-window settings of the window store (configuration section "WindowStore").</summary>
public sealed class WindowOptions
{
    public const string SectionName = "WindowStore";

    /// <summary>
    /// The section's name before it was renamed (it read like the Windowing service's own section and
    /// the windows topic). Still read, with a warning at start, when "WindowStore" is absent.
    /// </summary>
    public const string LegacySectionName = "Windows";

    /// <summary>Events per count window: the last Size events of one (model, stream).</summary>
    public int Size { get; set; } = 100;

    /// <summary>A new count window is emitted every Slide events once Size events have arrived.</summary>
    public int Slide { get; set; } = 50;

    /// <summary>The time flush emits a window only when the stream holds at least this many events.</summary>
    public int MinSize { get; set; } = 20;

    /// <summary>How long an event may wait for a window before the time flush emits what is there.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long stored events and window snapshots live; the Detector must read a window within it.</summary>
    public TimeSpan EventTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long an applied event id is remembered. Longer than EventTtl because the marker is tiny
    /// while events are large, and a replay after a crash must never re-apply an event.
    /// </summary>
    public TimeSpan DedupeTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Prefix of every Redis key, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "sw";

    /// <summary>The window of each model across all its streams (section "WindowStore:ModelWide"); EventTtl, DedupeTtl and KeyPrefix apply to it too.</summary>
    public ModelWideWindowOptions ModelWide { get; set; } = new();
}
