using Streaming.IntegrationTests.Infrastructure;
using static Streaming.IntegrationTests.WindowStore.WindowTestContext;

namespace Streaming.IntegrationTests.WindowStore;

[Collection(RedisFixtureCollection.Name)]
public sealed class RedisWindowWriterTimeFlushTests(RedisFixture redis)
{
    private static void Configure(Streaming.WindowStore.WindowOptions o)
    {
        o.Size = 10;
        o.Slide = 5;
        o.MinSize = 3;
        o.MaxWait = TimeSpan.FromSeconds(30);
    }

    [Fact]
    public async Task FlushDueAsync_BeforeMaxWait_EmitsNothing_AtMaxWait_EmitsTimeWindow()
    {
        var context = new WindowTestContext(redis, Configure);
        var store = context.CreateWriter();
        await AppendAllAsync(store, Events("a", 0, 3));

        context.Time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await store.FlushDueAsync(CancellationToken.None));
        Assert.Empty(await store.PeekOutboxAsync(10, CancellationToken.None));

        context.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await store.FlushDueAsync(CancellationToken.None));

        var window = Assert.Single(await store.PeekOutboxAsync(10, CancellationToken.None)).Window;
        Assert.Equal("time", window.Trigger);
        Assert.Equal(3U, window.Size);
        Assert.Equal(Streaming.WindowStore.WindowIds.Of(Model, "a", Ids("a", 0, 3)), window.WindowId);
        Assert.Equal(Ids("a", 0, 3), await EventIdsOfAsync(redis, window));
    }

    [Fact]
    public async Task FlushDueAsync_FewerThanMinSize_WaitsUntilEnoughEvents()
    {
        var context = new WindowTestContext(redis, Configure);
        var store = context.CreateWriter();
        await AppendAllAsync(store, Events("a", 0, 2));

        context.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, await store.FlushDueAsync(CancellationToken.None));

        // The third event arrives late; the first one has waited long enough, so it flushes now.
        await store.AppendAsync(Event("a", 2), CancellationToken.None);
        Assert.Equal(1, await store.FlushDueAsync(CancellationToken.None));
        var window = Assert.Single(await store.PeekOutboxAsync(10, CancellationToken.None)).Window;
        Assert.Equal(Ids("a", 0, 3), await EventIdsOfAsync(redis, window));
    }

    [Fact]
    public async Task FlushDueAsync_AfterFlush_WaitsForNewEventsAndCountsTheSlideAfresh()
    {
        var context = new WindowTestContext(redis, Configure);
        var store = context.CreateWriter();
        await AppendAllAsync(store, Events("a", 0, 4));
        context.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await store.FlushDueAsync(CancellationToken.None));

        context.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, await store.FlushDueAsync(CancellationToken.None));

        // 6 more events: the ring reaches Size (10) at the 6th, and 6 >= Slide since the flush.
        var results = await AppendAllAsync(store, Events("a", 4, 6));
        Assert.Equal([0, 0, 0, 0, 0, 1], results.Select(r => r.WindowsCreated));
        var windows = await store.PeekOutboxAsync(10, CancellationToken.None);
        Assert.Equal(["time", "count"], windows.Select(e => e.Window.Trigger));
        Assert.Equal(Ids("a", 0, 10), await EventIdsOfAsync(redis, windows[1].Window));
    }

    [Fact]
    public async Task FlushDueAsync_CountWindowJustEmitted_DoesNotFlushAgain()
    {
        var context = new WindowTestContext(redis, Configure);
        var store = context.CreateWriter();
        await AppendAllAsync(store, Events("a", 0, 10));

        context.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(0, await store.FlushDueAsync(CancellationToken.None));
        Assert.Single(await store.PeekOutboxAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task FlushDueAsync_OnlyOneStreamDue_FlushesOnlyThatStream()
    {
        var context = new WindowTestContext(redis, Configure);
        var store = context.CreateWriter();
        await AppendAllAsync(store, Events("old", 0, 3));
        context.Time.Advance(TimeSpan.FromSeconds(20));
        await AppendAllAsync(store, Events("new", 0, 3));
        context.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, await store.FlushDueAsync(CancellationToken.None));
        var window = Assert.Single(await store.PeekOutboxAsync(10, CancellationToken.None)).Window;
        Assert.Equal("old", window.Header.StreamId);

        context.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await store.FlushDueAsync(CancellationToken.None));
    }
}
