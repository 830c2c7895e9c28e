using System.ComponentModel.DataAnnotations;
using Streaming.Contracts.Validation;

namespace Streaming.Detection.WindowTest;

/// <summary>The reference registry as the Detector reads it (section "Detector:Registry"; used when Detector:ReferenceSource is registry).</summary>
public sealed class RegistrySettings
{
    /// <summary>Prefix of the registry's Redis keys (the same as `control references --prefix`).</summary>
    [Required(ErrorMessage = "Detector:Registry:KeyPrefix is required.")]
    [RegularExpression("^[^{}\\s]+$", ErrorMessage = "Detector:Registry:KeyPrefix must be non-empty, without spaces or braces.")]
    public string KeyPrefix { get; set; } = "references:";

    /// <summary>How often the registry's version counter is read: an activation or retirement is served at most this long after it.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "Detector:Registry:PollInterval must be between 50 ms and 1 minute.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Budget of the loaded references (their reference and calibration vectors), least recently used
    /// evicted first; a reference larger than the whole budget is still served, alone.
    /// </summary>
    [SettingRange(1, 1_000_000, ErrorMessage = "Detector:Registry:CacheMegabytes must be between 1 and 1000000.")]
    public int CacheMegabytes { get; set; } = 1024;

    /// <summary>A model version without an active reference is tested against the newest active reference of its model (marked reference_fallback) instead of reported uncalibrated.</summary>
    public bool VersionFallback { get; set; }

    /// <summary>Least time between two log lines about windows left uncalibrated (per model version; they are counted in the metric every time).</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Detector:Registry:UncalibratedLogInterval must be between 1 second and 1 day.")]
    public TimeSpan UncalibratedLogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>After a reference failed to load, how long its windows are reported reference_unavailable before it is tried again (a registry change retries at once).</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Detector:Registry:LoadRetryInterval must be between 1 second and 1 hour.")]
    public TimeSpan LoadRetryInterval { get; set; } = TimeSpan.FromSeconds(30);
}
