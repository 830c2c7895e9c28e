using StackExchange.Redis;
using Streaming.LocalStack.Servers;

namespace Streaming.IntegrationTests.LocalStack.Servers;

public sealed class RedisServerProcessTests
{
    [Fact]
    public async Task StartAsync_MissingBinary_ThrowsTellingHowToInstall()
    {
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(
            () => RedisServerProcess.StartAsync("/nonexistent/redis-server", CancellationToken.None));

        Assert.Contains("apt-get install redis-server", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_RunningServer_StopsAnsweringOnItsPort()
    {
        var server = await RedisServerProcess.StartAsync(CancellationToken.None);
        var connectionString = server.ConnectionString;
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(connectionString))
            Assert.True((await connection.GetDatabase().PingAsync()) >= TimeSpan.Zero);

        await server.DisposeAsync();

        await Assert.ThrowsAsync<RedisConnectionException>(
            () => ConnectionMultiplexer.ConnectAsync($"{connectionString},connectTimeout=500,abortConnect=true"));
    }
}
