using System.ComponentModel.DataAnnotations;
using Streaming.Contracts.Validation;

namespace Streaming.ServiceDefaults.Security;

/// <summary>
/// Per-client limits of a service's API (section "RateLimits"): a token bucket of requests per
/// second with a burst, and a cap on requests in flight, so one client can neither flood the
/// service nor hold all its memory with concurrent large bodies. A client is its API key, or its IP address.
/// </summary>
public sealed class ClientRateLimitOptions
{
    public const string SectionName = "RateLimits";

    [SettingRange(1, 1_000_000, ErrorMessage = "RateLimits:RequestsPerSecond must be between 1 and 1000000.")]
    public int RequestsPerSecond { get; set; } = 500;

    [SettingRange(1, 1_000_000, ErrorMessage = "RateLimits:Burst must be between 1 and 1000000.")]
    public int Burst { get; set; } = 1000;

    [SettingRange(1, 10_000, ErrorMessage = "RateLimits:ConcurrentRequests must be between 1 and 10000.")]
    public int ConcurrentRequests { get; set; } = 16;
}
