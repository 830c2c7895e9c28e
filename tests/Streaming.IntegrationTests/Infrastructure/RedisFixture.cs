using StackExchange.Redis;
using Streaming.LocalStack.Servers;

namespace Streaming.IntegrationTests.Infrastructure;

/// <summary>
/// One real redis-server per test collection. Tests isolate themselves with unique key prefixes
/// (they may run in parallel with other collections); <see cref="FlushDatabaseAsync"/> is there for
/// tests that need an empty server.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServerProcess? _server;
    private ConnectionMultiplexer? _connection;

    public string ConnectionString => _server?.ConnectionString ?? throw NotStarted();

    public IConnectionMultiplexer Connection => _connection ?? throw NotStarted();

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _server = await RedisServerProcess.StartAsync(timeout.Token);
        _connection = await ConnectionMultiplexer.ConnectAsync($"{_server.ConnectionString},allowAdmin=true");
    }

    public Task FlushDatabaseAsync() =>
        Connection.GetServer(ConnectionString).FlushDatabaseAsync();

    public async Task DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    private static InvalidOperationException NotStarted() => new("The Redis fixture has not been initialized.");
}
