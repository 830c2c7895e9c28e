using Streaming.IntegrationTests.Infrastructure;
using static Streaming.IntegrationTests.WindowStore.WindowTestContext;

namespace Streaming.IntegrationTests.WindowStore;

/// <summary>After a kill -9 the Windowing service re-reads Kafka from the last committed offset.</summary>
[Collection(RedisFixtureCollection.Name)]
public sealed class RedisWindowWriterReplayTests(RedisFixture redis)
{
    [Fact]
    public async Task AppendAsync_SameEventsAgain_ReportsDuplicatesAndChangesNothing()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 4; o.Slide = 2; });
        var store = context.CreateWriter();
        await AppendAllAsync(store, Events("a", 0, 9));
        var before = await store.PeekOutboxAsync(100, CancellationToken.None);

        var replay = await AppendAllAsync(context.CreateWriter(), Events("a", 0, 9));

        Assert.All(replay, r => Assert.Equal(new(Duplicate: true, WindowsCreated: 0), r));
        var after = await store.PeekOutboxAsync(100, CancellationToken.None);
        Assert.Equal(before.Select(e => e.Payload), after.Select(e => e.Payload));
        // The counter was not advanced by the replay: the next window still needs exactly one more event.
        var next = await store.AppendAsync(Event("a", 9), CancellationToken.None);
        Assert.Equal(1, next.WindowsCreated);
        var last = (await store.PeekOutboxAsync(100, CancellationToken.None))[^1].Window;
        Assert.Equal(4UL, last.Sequence);
        Assert.Equal(Ids("a", 6, 4), await EventIdsOfAsync(redis, last));
    }

    [Fact]
    public async Task AppendAsync_RestartReplaysOverlap_ProducesTheSameWindowsAsAnUninterruptedRun()
    {
        var crashed = new WindowTestContext(redis, o => { o.Size = 4; o.Slide = 2; });
        var clean = new WindowTestContext(redis, o => { o.Size = 4; o.Slide = 2; });

        // Crashed run: applied events 0-5, committed the offset of event 2, restarted, re-read from 3.
        await AppendAllAsync(crashed.CreateWriter(), Events("a", 0, 6));
        var restarted = crashed.CreateWriter();
        var replay = await AppendAllAsync(restarted, Events("a", 3, 9));
        await AppendAllAsync(clean.CreateWriter(), Events("a", 0, 12));

        Assert.Equal(3, replay.Count(r => r.Duplicate));
        var crashedWindows = await restarted.PeekOutboxAsync(100, CancellationToken.None);
        var cleanStore = clean.CreateWriter();
        var cleanWindows = await cleanStore.PeekOutboxAsync(100, CancellationToken.None);
        Assert.Equal(cleanWindows.Select(e => e.Window.WindowId), crashedWindows.Select(e => e.Window.WindowId));
        for (var i = 0; i < cleanWindows.Count; i++)
        {
            Assert.Equal(
                await EventIdsOfAsync(redis, cleanWindows[i].Window),
                await EventIdsOfAsync(redis, crashedWindows[i].Window));
        }
    }
}
