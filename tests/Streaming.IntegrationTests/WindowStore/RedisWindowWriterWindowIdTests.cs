using Streaming.IntegrationTests.Infrastructure;
using Streaming.WindowStore;
using static Streaming.IntegrationTests.WindowStore.WindowTestContext;

namespace Streaming.IntegrationTests.WindowStore;

/// <summary>Window ids come from what a window holds, so losing Redis data can never reissue one for other events.</summary>
[Collection(RedisFixtureCollection.Name)]
public sealed class RedisWindowWriterWindowIdTests(RedisFixture redis)
{
    [Fact]
    public async Task AppendAsync_RedisLosesEverything_NoWindowIdIsReusedForDifferentEvents()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 4; o.Slide = 2; });
        var before = await WindowsWithEventsAsync(context, Events("a", 0, 10));

        await redis.FlushDatabaseAsync();
        // Kafka hands out the first events again, then the stream goes on with new ones.
        var replay = Events("a", 0, 4).Concat(Enumerable.Range(4, 6).Select(i => Event("a", i, $"a-new{i}")));
        var after = await WindowsWithEventsAsync(context, replay);

        // The counter started again: sequences repeat, the ids of other contents do not.
        Assert.Equal(before.Select(w => w.Sequence).Take(after.Count), after.Select(w => w.Sequence));
        foreach (var window in after)
        {
            var sameId = before.SingleOrDefault(w => w.WindowId == window.WindowId);
            if (sameId is not null)
                Assert.Equal(sameId.EventIds, window.EventIds);
        }

        Assert.Contains(after, w => before.All(b => b.WindowId != w.WindowId));
        Assert.Equal(before[0].WindowId, after[0].WindowId);
    }

    [Fact]
    public async Task AppendAsync_RedisLosesEverythingThenSameEvents_GivesTheSameIdsAndKeys()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 4; o.Slide = 2; });
        var before = await WindowsWithEventsAsync(context, Events("a", 0, 10));

        await redis.FlushDatabaseAsync();
        var after = await WindowsWithEventsAsync(context, Events("a", 0, 10));

        Assert.Equal(4, before.Count);
        Assert.Equal(before.Select(w => (w.WindowId, w.WindowKey)), after.Select(w => (w.WindowId, w.WindowKey)));
        Assert.Equal(before.Select(w => w.EventIds), after.Select(w => w.EventIds));
    }

    [Fact]
    public async Task AppendAsync_UnusualEventIds_WindowIdIsWhatWindowIdsComputes()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 3; o.Slide = 3; });
        string[] ids = ["x:1", "ünï-✓", "2:x:1"];

        var windows = await WindowsWithEventsAsync(context, ids.Select((id, i) => Event("a", i, id)));

        var window = Assert.Single(windows);
        Assert.Equal(ids, window.EventIds);
        Assert.Equal(WindowIds.Of(Model, "a", ids), window.WindowId);
        Assert.EndsWith(":win:" + WindowIds.Digest(ids), window.WindowKey, StringComparison.Ordinal);
        Assert.Equal(WindowIds.DigestHexDigits, WindowIds.Digest(ids).Length);
    }

    [Fact]
    public void Digest_SameIdsSplitDifferently_Differs()
    {
        Assert.NotEqual(WindowIds.Digest(["ab", "c"]), WindowIds.Digest(["a", "bc"]));
        Assert.NotEqual(WindowIds.Digest(["a", "b"]), WindowIds.Digest(["b", "a"]));
        Assert.Equal(WindowIds.Digest(["a", "b"]), WindowIds.Digest(["a", "b"]));
    }

    private async Task<List<StoredWindow>> WindowsWithEventsAsync(WindowTestContext context, IEnumerable<Streaming.Contracts.ActivationEvent> events)
    {
        var store = context.CreateWriter();
        await AppendAllAsync(store, events);
        var entries = await store.PeekOutboxAsync(100, CancellationToken.None);
        var windows = new List<StoredWindow>();
        foreach (var entry in entries)
        {
            windows.Add(new StoredWindow(entry.Window.WindowId, entry.Window.WindowKey, entry.Window.Sequence, await EventIdsOfAsync(redis, entry.Window)));
            await store.AckOutboxAsync(entry, CancellationToken.None);
        }

        return windows;
    }

    private sealed record StoredWindow(string WindowId, string WindowKey, ulong Sequence, List<string> EventIds);
}
