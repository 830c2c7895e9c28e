using Streaming.IntegrationTests.Infrastructure;
using Streaming.WindowStore;
using static Streaming.IntegrationTests.WindowStore.WindowTestContext;

namespace Streaming.IntegrationTests.WindowStore;

[Collection(RedisFixtureCollection.Name)]
public sealed class RedisWindowWriterOutboxTests(RedisFixture redis)
{
    [Fact]
    public async Task PeekOutboxAsync_CrashBeforeAck_NewInstanceSeesTheSameEntries()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 2; o.Slide = 1; });
        var first = context.CreateWriter();
        await AppendAllAsync(first, Events("a", 0, 4));
        var peeked = await first.PeekOutboxAsync(10, CancellationToken.None);

        // Crash: published maybe, never acked. The restarted service peeks again.
        var afterRestart = await context.CreateWriter().PeekOutboxAsync(10, CancellationToken.None);

        Assert.Equal(3, peeked.Count);
        Assert.Equal(peeked.Select(e => e.Payload), afterRestart.Select(e => e.Payload));
        Assert.Equal(peeked.Select(e => e.Window.WindowId), afterRestart.Select(e => e.Window.WindowId));
    }

    [Fact]
    public async Task AckOutboxAsync_AckedEntry_IsNotPeekedAgainAndOthersStay()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 2; o.Slide = 1; });
        var store = context.CreateWriter();
        await AppendAllAsync(store, Events("a", 0, 4));
        var peeked = await store.PeekOutboxAsync(10, CancellationToken.None);

        await store.AckOutboxAsync(peeked[0], CancellationToken.None);
        await store.AckOutboxAsync(peeked[0], CancellationToken.None);

        var remaining = await context.CreateWriter().PeekOutboxAsync(10, CancellationToken.None);
        Assert.Equal(peeked.Skip(1).Select(e => e.Window.WindowId), remaining.Select(e => e.Window.WindowId));
    }

    [Fact]
    public async Task PeekOutboxAsync_MoreEntriesThanMax_ReturnsMaxOldestFirst()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 2; o.Slide = 1; });
        var store = context.CreateWriter();
        await AppendAllAsync(store, Events("a", 0, 6));

        var peeked = await store.PeekOutboxAsync(2, CancellationToken.None);

        Assert.Equal([1UL, 2UL], peeked.Select(e => e.Window.Sequence));
    }

    [Fact]
    public async Task PeekOutboxAsync_SeveralStreams_ReturnsEveryStreamsWindows()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 2; o.Slide = 2; });
        var store = context.CreateWriter();
        foreach (var stream in new[] { "a", "b", "c" })
            await AppendAllAsync(store, Events(stream, 0, 2));

        var peeked = await store.PeekOutboxAsync(10, CancellationToken.None);

        Assert.Equal(
            new[] { "a", "b", "c" }.Select(s => WindowIds.Of(Model, s, Ids(s, 0, 2))).Order(StringComparer.Ordinal),
            peeked.Select(e => e.Window.WindowId).Order(StringComparer.Ordinal));
        foreach (var entry in peeked)
            await store.AckOutboxAsync(entry, CancellationToken.None);
        Assert.Empty(await store.PeekOutboxAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task ReadOutboxAsync_EntryIsNotAWindow_ReportsItAsCorruptNextToTheWindows()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 2; o.Slide = 2; });
        var store = context.CreateWriter();
        await AppendAllAsync(store, Events("a", 0, 2));
        var outbox = new WindowKeys(context.Options.KeyPrefix, Model, "a").Outbox;
        byte[] junk = [0xFF, 0xFF, 0xFF, 0x01];
        await redis.Connection.GetDatabase().ListRightPushAsync(outbox, junk);
        await AppendAllAsync(store, Events("a", 2, 2));

        var batch = await store.ReadOutboxAsync(10, CancellationToken.None);

        Assert.Equal([1UL, 2UL], batch.Windows.Select(e => e.Window.Sequence));
        var corrupt = Assert.Single(batch.Corrupt);
        Assert.Equal(junk, corrupt.Payload);
        Assert.Contains("not a WindowReady", corrupt.Reason, StringComparison.Ordinal);
        Assert.Equal(2, (await store.PeekOutboxAsync(10, CancellationToken.None)).Count);

        await store.AckOutboxAsync(corrupt, CancellationToken.None);
        Assert.Empty((await store.ReadOutboxAsync(10, CancellationToken.None)).Corrupt);
        Assert.Equal(2, await redis.Connection.GetDatabase().ListLengthAsync(outbox));
    }
}
