using System.ComponentModel.DataAnnotations;

namespace Streaming.Redis;

/// <summary>Redis connection (section "Redis").</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>StackExchange.Redis configuration string, e.g. "localhost:6379" or a cluster's endpoints.</summary>
    [Required(ErrorMessage = "Redis:ConnectionString is required (host:port).")]
    public string ConnectionString { get; set; } = "";
}
