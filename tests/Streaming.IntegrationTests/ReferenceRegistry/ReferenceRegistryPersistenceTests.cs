using StackExchange.Redis;
using Streaming.IntegrationTests.EndToEnd;
using Streaming.ReferenceRegistry;

namespace Streaming.IntegrationTests.ReferenceRegistry;

/// <summary>The registry lives in Redis: with the append-only file compose enables, a killed and restarted server still has every reference and state.</summary>
public sealed class ReferenceRegistryPersistenceTests
{
    [Fact]
    public async Task Registry_RedisKilledAndRestartedWithAppendOnly_KeepsReferencesStatesAndFiles()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var redis = new RestartableRedis(appendOnly: true);
        await redis.StartAsync(cts.Token);
        var bytes = SyntheticReferences.Bytes("cnn", "v1", seed: 1);
        string activeId, retiredId;
        long version;
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            var store = new ReferenceRegistryStore(connection);
            retiredId = (await store.PublishAsync(SyntheticReferences.Bytes("cnn", "v1", seed: 2), "")).Id;
            await store.ActivateAsync(retiredId);
            activeId = (await store.PublishAsync(bytes, "images")).Id;
            await store.ActivateAsync(activeId);
            version = await store.VersionAsync();
        }

        await redis.KillAsync();
        await redis.StartAsync(cts.Token);

        await using var reconnected = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var restarted = new ReferenceRegistryStore(reconnected);
        Assert.Equal(version, await restarted.VersionAsync());
        Assert.Equal(activeId, (await restarted.ActiveAsync()).Find("cnn", "v1")?.Id);
        Assert.Equal(ReferenceState.Retired, (await restarted.RequireAsync(retiredId)).State);
        Assert.Equal(bytes, await restarted.ExportAsync(activeId));
    }
}
