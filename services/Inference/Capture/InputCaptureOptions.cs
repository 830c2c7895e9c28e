using System.ComponentModel.DataAnnotations;
using Streaming.Contracts.Validation;
using Streaming.Redis;

namespace Streaming.Inference.Capture;

/// <summary>
/// Keeping each input image by event id for forensics (section "Inference:CaptureInputs"), so the
/// console can show the images behind an alert. Bounded in time (<see cref="Ttl"/>) and in count
/// (<see cref="MaxImages"/>, the oldest evicted first; a 28x28 PNG is well under 1 KiB). Off by
/// default: a deployment that may not keep inputs leaves it off, and the console says so.
/// </summary>
public sealed class InputCaptureOptions
{
    public bool Enabled { get; set; }

    [SettingRange(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Inference:CaptureInputs:Ttl must be between 1 min and 30 days.")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(24);

    [SettingRange(1, 10_000_000, ErrorMessage = "Inference:CaptureInputs:MaxImages must be between 1 and 10000000.")]
    public int MaxImages { get; set; } = 200_000;

    /// <summary>Prefix of the Redis keys (the console's Console:CaptureKeyPrefix must match).</summary>
    [Required(ErrorMessage = "Inference:CaptureInputs:KeyPrefix is required.")]
    public string KeyPrefix { get; set; } = CapturedInputs.DefaultPrefix;
}
