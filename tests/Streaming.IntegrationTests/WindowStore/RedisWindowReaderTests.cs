using Streaming.IntegrationTests.Infrastructure;
using static Streaming.IntegrationTests.WindowStore.WindowTestContext;

namespace Streaming.IntegrationTests.WindowStore;

/// <summary>Reading a window's events as the Detector does, from windows a writer stored on a real redis-server.</summary>
[Collection(RedisFixtureCollection.Name)]
public sealed class RedisWindowReaderTests(RedisFixture redis)
{
    [Fact]
    public async Task ReadWindowAsync_WindowCompleted_ReturnsTheStoredEventsUnchanged()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 3; o.Slide = 3; });
        var writer = context.CreateWriter();
        var events = Events("a", 0, 3).ToList();

        await AppendAllAsync(writer, events);

        var window = Assert.Single(await writer.PeekOutboxAsync(10, CancellationToken.None)).Window;
        var contents = await context.CreateReader().ReadWindowAsync(window.WindowKey, CancellationToken.None);
        Assert.True(contents.Found);
        Assert.Equal(events, contents.Events);
        Assert.Equal(0, contents.MissingCount);
    }

    [Fact]
    public async Task ReadWindowAsync_EventExpired_ReportsItMissingAndReturnsTheRest()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 3; o.Slide = 3; });
        var writer = context.CreateWriter();
        await AppendAllAsync(writer, Events("a", 0, 3));
        var window = Assert.Single(await writer.PeekOutboxAsync(10, CancellationToken.None)).Window;

        // What an elapsed TTL does to the event's key.
        await redis.Connection.GetDatabase().KeyDeleteAsync($"{context.Options.KeyPrefix}:{{{Model}/a}}:ev:a-e1");

        var contents = await context.CreateReader().ReadWindowAsync(window.WindowKey, CancellationToken.None);
        Assert.Equal(["a-e0", "a-e2"], contents.Events.Select(e => e.Header.EventId));
        Assert.Equal(["a-e1"], contents.MissingEventIds);
    }

    [Fact]
    public async Task ReadWindowAsync_UnknownWindow_ReturnsNotFound()
    {
        var context = new WindowTestContext(redis);

        var contents = await context.CreateReader().ReadWindowAsync($"{context.Options.KeyPrefix}:{{{Model}/a}}:win:42", CancellationToken.None);

        Assert.False(contents.Found);
        Assert.Empty(contents.Events);
    }
}
