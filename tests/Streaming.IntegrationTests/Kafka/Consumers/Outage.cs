using StackExchange.Redis;

namespace Streaming.IntegrationTests.Kafka.Consumers;

/// <summary>
/// A dependency that goes down at the first call and stays down for <paramref name="length"/>,
/// failing the way StackExchange.Redis fails when the server is unreachable.
/// </summary>
internal sealed class Outage(TimeSpan length)
{
    private readonly object _gate = new();
    private DateTime? _until;
    private int _failures;

    public int Failures => Volatile.Read(ref _failures);

    public TimeSpan Length => length;

    public void ThrowIfDown()
    {
        lock (_gate)
        {
            _until ??= DateTime.UtcNow + length;
            if (DateTime.UtcNow >= _until) return;
            _failures++;
        }

        throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "test: Redis is down", null, CommandStatus.Unknown);
    }
}
