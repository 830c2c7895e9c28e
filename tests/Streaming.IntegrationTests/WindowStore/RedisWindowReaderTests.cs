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
        await redis.Connection.GetDatabase().KeyDeleteAsync($"{context.Options.KeyPrefix}:{{{Model}}}:a:ev:a-e1");

        var contents = await context.CreateReader().ReadWindowAsync(window.WindowKey, CancellationToken.None);
        Assert.Equal(["a-e0", "a-e2"], contents.Events.Select(e => e.Header.EventId));
        Assert.Equal(["a-e1"], contents.MissingEventIds);
    }

    [Fact]
    public async Task ReadWindowAsync_UnknownWindow_ReturnsNotFound()
    {
        var context = new WindowTestContext(redis);

        var contents = await context.CreateReader().ReadWindowAsync($"{context.Options.KeyPrefix}:{{{Model}}}:a:win:42", CancellationToken.None);

        Assert.False(contents.Found);
        Assert.Empty(contents.Events);
    }

    [Fact]
    public async Task ReadWindowAsync_ModelWideWindowWithAnEventExpired_ReadsEachFromItsStreamAndReportsTheMissingMember()
    {
        var context = new WindowTestContext(redis, o => ModelWide(o, 4, 4));
        var writer = context.CreateWriter();
        var events = Interleaved(2, 2);
        await AppendAllAsync(writer, events);
        var window = Assert.Single(await writer.PeekOutboxAsync(10, CancellationToken.None), e => e.Window.Scope == Streaming.Contracts.WindowScopes.Model).Window;
        // What an elapsed TTL does to one event's key: the model-wide window keeps no copy of its own.
        var gone = events[1].Header;
        await redis.Connection.GetDatabase().KeyDeleteAsync($"{context.Options.KeyPrefix}:{{{Model}}}:{gone.StreamId}:ev:{gone.EventId}");

        var contents = await context.CreateReader().ReadWindowAsync(window.WindowKey, CancellationToken.None);

        Assert.Equal(events.Where((_, i) => i != 1), contents.Events);
        Assert.Equal([$"{gone.StreamId}/{gone.EventId}"], contents.MissingEventIds);
    }

    [Theory]
    [InlineData("a")]
    [InlineData(Streaming.Contracts.WindowScopes.ModelWideStreamId)]
    public async Task ReadWindowAsync_WindowOfTheLayoutBeforeOneTagPerModel_ReadsItsEventsUnderItsOwnTag(string stream)
    {
        // Written before a Windowing upgrade, announced, read after it: "prefix:{model/stream}:win:digest",
        // its events under "prefix:{model/stream}:ev:member".
        var context = new WindowTestContext(redis);
        var db = redis.Connection.GetDatabase();
        var tag = $"{context.Options.KeyPrefix}:{{{Model}/{stream}}}";
        var events = Events("a", 0, 2).ToList();
        string[] members = stream == "a" ? ["a-e0", "a-e1"] : ["a/a-e0", "a/a-e1"];
        for (var i = 0; i < 2; i++)
        {
            await db.ListRightPushAsync(tag + ":win:0f", members[i]);
            await db.StringSetAsync(tag + ":ev:" + members[i], Google.Protobuf.MessageExtensions.ToByteArray(events[i]));
        }

        var contents = await context.CreateReader().ReadWindowAsync(tag + ":win:0f", CancellationToken.None);

        Assert.Equal(events, contents.Events);
        Assert.Empty(contents.MissingEventIds);
    }
}
