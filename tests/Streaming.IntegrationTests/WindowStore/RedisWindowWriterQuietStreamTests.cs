using StackExchange.Redis;
using Streaming.IntegrationTests.Alerting;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.WindowStore;
using static Streaming.IntegrationTests.WindowStore.WindowTestContext;

namespace Streaming.IntegrationTests.WindowStore;

/// <summary>Streams that get an event now and then: windows only for MinSize new events, and no index entry that lives forever.</summary>
[Collection(RedisFixtureCollection.Name)]
public sealed class RedisWindowWriterQuietStreamTests(RedisFixture redis)
{
    private static void Configure(WindowOptions o)
    {
        o.Size = 10;
        o.Slide = 5;
        o.MinSize = 3;
        o.MaxWait = TimeSpan.FromSeconds(30);
    }

    [Fact]
    public async Task FlushDueAsync_OneEventEvery31SecondsAfterFullWindow_EmitsOnlyAfterMinSizeNewEvents()
    {
        var context = new WindowTestContext(redis, Configure);
        var store = context.CreateWriter();
        await AppendAllAsync(store, Events("a", 0, 10));

        var emitted = new List<int>();
        for (var i = 10; i < 17; i++)
        {
            context.Time.Advance(TimeSpan.FromSeconds(31));
            emitted.Add(await store.FlushDueAsync(CancellationToken.None));
            await store.AppendAsync(Event("a", i), CancellationToken.None);
        }

        // Events 10, 11, 12 make the first time window (flushed once event 10 waited 30 s), 13, 14, 15 the next.
        Assert.Equal([0, 0, 0, 1, 0, 0, 1], emitted);
        var windows = await store.PeekOutboxAsync(10, CancellationToken.None);
        Assert.Equal(["count", "time", "time"], windows.Select(e => e.Window.Trigger));
        Assert.Equal(Ids("a", 3, 10), await EventIdsOfAsync(redis, windows[1].Window));
        Assert.Equal(Ids("a", 6, 10), await EventIdsOfAsync(redis, windows[2].Window));
    }

    [Fact]
    public async Task AppendAsync_StreamBelowMinSize_IsNotInTheDueIndexUntilItReachesIt()
    {
        var context = new WindowTestContext(redis, Configure);
        var store = context.CreateWriter();
        var due = WindowKeysOf(context).DueIndex;

        await AppendAllAsync(store, Events("a", 0, 2));
        context.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await store.FlushDueAsync(CancellationToken.None));
        Assert.Equal(0, await Db.SortedSetLengthAsync(due));

        await store.AppendAsync(Event("a", 2), CancellationToken.None);
        Assert.Equal(1, await Db.SortedSetLengthAsync(due));
        Assert.Equal(1, await store.FlushDueAsync(CancellationToken.None));
        Assert.Equal(0, await Db.SortedSetLengthAsync(due));
    }

    [Fact]
    public async Task FlushDueAsync_StreamIdleLongerThanEventTtl_LeavesTheDueIndexWithoutWindow()
    {
        var context = new WindowTestContext(redis, o => { Configure(o); o.EventTtl = TimeSpan.FromMilliseconds(300); });
        var store = context.CreateWriter();
        var keys = WindowKeysOf(context);
        await AppendAllAsync(store, Events("a", 0, 3));
        Assert.Equal(1, await Db.SortedSetLengthAsync(keys.DueIndex));

        // Redis expires the stream's state on its own clock.
        Assert.True(await Eventually.WaitUntilAsync(() => !Db.KeyExists(keys.State), TimeSpan.FromSeconds(10), CancellationToken.None));
        context.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(0, await store.FlushDueAsync(CancellationToken.None));
        Assert.Equal(0, await Db.SortedSetLengthAsync(keys.DueIndex));
        Assert.False(await Db.KeyExistsAsync(keys.Ring));
    }

    [Fact]
    public async Task PeekOutboxAsync_StreamIdleLongerThanEventTtl_ItsOutboxAndIndexEntryGo()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 3; o.Slide = 3; o.EventTtl = TimeSpan.FromMilliseconds(300); });
        var store = context.CreateWriter();
        var keys = WindowKeysOf(context);
        await AppendAllAsync(store, Events("a", 0, 3));
        Assert.Single(await store.PeekOutboxAsync(10, CancellationToken.None));

        // Never published (Kafka away longer than the TTL): the snapshot is gone, so is the entry.
        Assert.True(await Eventually.WaitUntilAsync(() => !Db.KeyExists(keys.Outbox), TimeSpan.FromSeconds(10), CancellationToken.None));
        context.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.Empty(await store.PeekOutboxAsync(10, CancellationToken.None));
        Assert.Equal(0, await Db.SortedSetLengthAsync(keys.OutboxIndex));
        Assert.False(await Db.KeyExistsAsync(keys.State));
    }

    [Fact]
    public async Task FlushDueAsync_OldestEventsOfTheRingExpired_WindowHoldsOnlyStoredEvents()
    {
        var context = new WindowTestContext(redis, Configure);
        var store = context.CreateWriter();
        await AppendAllAsync(store, Events("a", 0, 10));
        // What EventTtl does to the six oldest events of a stream that went quiet for an hour.
        var stream = $"{context.Options.KeyPrefix}:{{{Model}}}:a";
        await Db.KeyDeleteAsync(Enumerable.Range(0, 6).Select(i => (RedisKey)$"{stream}:ev:a-e{i}").ToArray());

        await AppendAllAsync(store, Events("a", 10, 3));
        context.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await store.FlushDueAsync(CancellationToken.None));

        var window = (await store.PeekOutboxAsync(10, CancellationToken.None))[^1].Window;
        Assert.Equal("time", window.Trigger);
        Assert.Equal(7U, window.Size);
        Assert.Equal(Ids("a", 6, 7), await EventIdsOfAsync(redis, window));
        Assert.Equal(WindowIds.Of(Model, "a", Ids("a", 6, 7)), window.WindowId);
    }

    private IDatabase Db => redis.Connection.GetDatabase();

    private static (RedisKey DueIndex, RedisKey OutboxIndex, RedisKey State, RedisKey Ring, RedisKey Outbox) WindowKeysOf(WindowTestContext context)
    {
        var prefix = context.Options.KeyPrefix;
        var stream = $"{prefix}:{{{Model}}}:a";
        return ($"{prefix}:index:due", $"{prefix}:index:outbox", stream + ":state", stream + ":ring", stream + ":outbox");
    }
}
