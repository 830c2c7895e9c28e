using System.ComponentModel.DataAnnotations;
using Streaming.Contracts;
using Streaming.Contracts.Validation;
using Streaming.Redis;

namespace Streaming.Console.Options;

/// <summary>Settings of the console service (section "Console"), validated at start.</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "Console";

    [Required(ErrorMessage = "Console:DetectionsTopic is required.")]
    public string DetectionsTopic { get; set; } = Topics.Detections;

    [Required(ErrorMessage = "Console:AlertsTopic is required.")]
    public string AlertsTopic { get; set; } = Topics.Alerts;

    /// <summary>Prefix of the console's own consumer groups, "&lt;GroupId&gt;.detections" and "&lt;GroupId&gt;.alerts": it reads every detection and alert beside the other services.</summary>
    [Required(ErrorMessage = "Console:GroupId is required.")]
    public string GroupId { get; set; } = "console";

    /// <summary>Prefix of every Redis key the console writes.</summary>
    [Required(ErrorMessage = "Console:KeyPrefix is required.")]
    public string KeyPrefix { get; set; } = "console:";

    /// <summary>How long the history of a stream, an alert or a seen window id is kept after its last update.</summary>
    [SettingRange(typeof(TimeSpan), "00:01:00", "90.00:00:00", ErrorMessage = "Console:HistoryTtl must be between 1 min and 90 days.")]
    public TimeSpan HistoryTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Windows kept per model and stream (the newest); older ones drop out of the charts.</summary>
    [SettingRange(10, 100_000, ErrorMessage = "Console:WindowsPerStream must be between 10 and 100000.")]
    public int WindowsPerStream { get; set; } = 2000;

    /// <summary>Streams listed at most (the most recently updated); the history of a dropped one expires with HistoryTtl.</summary>
    [SettingRange(10, 1_000_000, ErrorMessage = "Console:MaxStreams must be between 10 and 1000000.")]
    public int MaxStreams { get; set; } = 50_000;

    /// <summary>Alerts kept at most, over all streams (the newest).</summary>
    [SettingRange(10, 1_000_000, ErrorMessage = "Console:MaxAlerts must be between 10 and 1000000.")]
    public int MaxAlerts { get; set; } = 20_000;

    /// <summary>Alerts kept at most per model and stream.</summary>
    [SettingRange(10, 100_000, ErrorMessage = "Console:AlertsPerStream must be between 10 and 100000.")]
    public int AlertsPerStream { get; set; } = 1000;

    /// <summary>Rows per page of the streams and alerts lists.</summary>
    [SettingRange(5, 1000, ErrorMessage = "Console:PageSize must be between 5 and 1000.")]
    public int PageSize { get; set; } = 50;

    /// <summary>Windows averaged by the rolling detection rate (the page can override it per view).</summary>
    [SettingRange(1, 1000, ErrorMessage = "Console:RollingWindows must be between 1 and 1000.")]
    public int RollingWindows { get; set; } = 10;

    /// <summary>Kafka bootstrap servers printed in an alert's `control replay` command (the console's own by default).</summary>
    public string? ReplayBootstrapServers { get; set; }

    /// <summary>How far before an alert's last event its replay command starts (a window's first event is not on the alert).</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Console:ReplayLookback must be between 1 s and 1 day.")]
    public TimeSpan ReplayLookback { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Prefix of the input images Inference keeps (must match Inference:CaptureInputs:KeyPrefix).</summary>
    [Required(ErrorMessage = "Console:CaptureKeyPrefix is required.")]
    public string CaptureKeyPrefix { get; set; } = CapturedInputs.DefaultPrefix;

    /// <summary>Open server-sent-event connections at most; more are answered 503.</summary>
    [SettingRange(1, 100_000, ErrorMessage = "Console:MaxLiveClients must be between 1 and 100000.")]
    public int MaxLiveClients { get; set; } = 200;
}
