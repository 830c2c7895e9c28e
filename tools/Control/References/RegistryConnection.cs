using StackExchange.Redis;
using Streaming.Control.Cli;
using Streaming.ReferenceRegistry;

namespace Streaming.Control.References;

/// <summary>The registry a `control references` or `control calibrate --publish` run talks to; the registry's refusals become one-line CLI errors.</summary>
public sealed class RegistryConnection : IAsyncDisposable
{
    public const string DefaultRedis = "127.0.0.1:6379";

    private readonly ConnectionMultiplexer _redis;

    private RegistryConnection(ConnectionMultiplexer redis, string prefix)
    {
        _redis = redis;
        Store = new ReferenceRegistryStore(redis, prefix);
    }

    public ReferenceRegistryStore Store { get; }

    /// <summary>Connects (3 s at most), or fails naming the option and the address.</summary>
    public static async Task<RegistryConnection> OpenAsync(string connectionString, string prefix, CancellationToken cancellationToken)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new CliFailureException($"--redis: '{connectionString}' is not a Redis connection string ({ex.Message}).");
        }
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 3000;
        try
        {
            var redis = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken);
            return new RegistryConnection(redis, prefix);
        }
        catch (RedisConnectionException ex)
        {
            throw new CliFailureException($"--redis: Redis at {connectionString} is not reachable ({ex.Message.Split('\n')[0]}).");
        }
    }

    /// <summary>Runs <paramref name="action"/>, turning the registry's refusals (corrupt, mismatched, unknown id) into CLI failures.</summary>
    public static async Task<T> Refusals<T>(Func<Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is ReferenceRejectedException or ReferenceNotFoundException)
        {
            throw new CliFailureException(ex.Message, ex);
        }
    }

    public ValueTask DisposeAsync() => _redis.DisposeAsync();
}
