namespace Streaming.WindowStore;

/// <summary>
/// The model-wide window (configuration section "WindowStore:ModelWide"): besides the window of each
/// (model, stream), the last Size events of a model across all its streams, so inputs an attacker
/// spreads over many stream ids (one new stream id per input never fills a stream's window) are
/// still tested together. Same rules as the stream windows, with settings of its own.
/// </summary>
public sealed class ModelWideWindowOptions
{
    public const string SectionName = "ModelWide";

    /// <summary>On by default: without it, an attacker who changes stream id per input is never tested.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Events per model-wide count window: the last Size events of one model, all streams.</summary>
    public int Size { get; set; } = 100;

    /// <summary>A new model-wide count window is emitted every Slide events of the model.</summary>
    public int Slide { get; set; } = 50;

    /// <summary>The time flush emits a model-wide window only when at least this many events arrived since the previous one.</summary>
    public int MinSize { get; set; } = 20;

    /// <summary>How long an event may wait for a model-wide window before the time flush emits what is there.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(30);
}
