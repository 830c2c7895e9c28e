using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Streaming.Contracts;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.WindowStore;
using static Streaming.IntegrationTests.WindowStore.WindowTestContext;

namespace Streaming.IntegrationTests.WindowStore;

[Collection(RedisFixtureCollection.Name)]
public sealed class RedisWindowWriterCountWindowTests(RedisFixture redis)
{
    [Fact]
    public async Task AppendAsync_SizeThenEverySlide_EmitsWindowsOfLastSizeEventsInOrder()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 4; o.Slide = 2; });
        var store = context.CreateWriter();

        var results = await AppendAllAsync(store, Events("a", 0, 9));

        // Windows complete at the 4th, 6th and 8th event; the 9th only starts the next slide.
        Assert.Equal([0, 0, 0, 1, 0, 1, 0, 1, 0], results.Select(r => r.WindowsCreated));
        Assert.All(results, r => Assert.False(r.Duplicate));

        var outbox = await store.PeekOutboxAsync(10, CancellationToken.None);
        Assert.Equal([1UL, 2UL, 3UL], outbox.Select(e => e.Window.Sequence));
        Assert.Equal(Ids("a", 0, 4), await EventIdsOfAsync(redis, outbox[0].Window));
        Assert.Equal(Ids("a", 2, 4), await EventIdsOfAsync(redis, outbox[1].Window));
        Assert.Equal(Ids("a", 4, 4), await EventIdsOfAsync(redis, outbox[2].Window));
    }

    [Fact]
    public async Task AppendAsync_WindowCompleted_WindowReadyCarriesIdsTimestampsAndHeader()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 3; o.Slide = 3; });
        var store = context.CreateWriter();

        await AppendAllAsync(store, Events("tenant-a", 10, 3));

        var entry = Assert.Single(await store.PeekOutboxAsync(10, CancellationToken.None));
        var window = entry.Window;
        Assert.Equal(WindowIds.Of(Model, "tenant-a", Ids("tenant-a", 10, 3)), window.WindowId);
        Assert.Equal(1UL, window.Sequence);
        Assert.Equal(3U, window.Size);
        Assert.Equal("count", window.Trigger);
        Assert.Equal(Timestamp.FromDateTimeOffset(Start.AddSeconds(10)), window.FirstEventTimestamp);
        Assert.Equal(Timestamp.FromDateTimeOffset(Start.AddSeconds(12)), window.LastEventTimestamp);
        Assert.Equal(SchemaVersions.Current, window.Header.SchemaVersion);
        Assert.Equal(Model, window.Header.Model);
        Assert.Equal(ModelVersion, window.Header.ModelVersion);
        Assert.Equal("tenant-a", window.Header.StreamId);
        Assert.True(Guid.TryParse(window.Header.EventId, out _), $"header event id '{window.Header.EventId}' is not a UUID");
        Assert.Equal(Timestamp.FromDateTimeOffset(context.Time.GetUtcNow()), window.Header.Timestamp);
        Assert.Contains("{mnist-cnn}:tenant-a:win:", window.WindowKey, StringComparison.Ordinal);
        // What is published is the WindowReady read here, serialized by the generated class.
        Assert.Equal(window.ToByteArray(), entry.Payload);
    }

    [Fact]
    public async Task AppendAsync_ConcurrentAppendsToOneStream_EmitWindowsAsIfSequential()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 10; o.Slide = 5; });
        var store = context.CreateWriter();

        var results = await Task.WhenAll(Events("a", 0, 100).Select(e => store.AppendAsync(e, CancellationToken.None)));

        // 1 window at event 10, then one per 5 more events: 1 + 90 / 5.
        Assert.Equal(19, results.Sum(r => r.WindowsCreated));
        var outbox = await store.PeekOutboxAsync(100, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 19).Select(i => (ulong)i), outbox.Select(e => e.Window.Sequence));
        foreach (var entry in outbox)
        {
            var ids = await EventIdsOfAsync(redis, entry.Window);
            Assert.Equal(10, ids.Distinct().Count());
        }
    }

    [Fact]
    public async Task AppendAsync_TwoStreamsInterleaved_KeepSeparateWindowsAndSequences()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 4; o.Slide = 4; });
        var store = context.CreateWriter();

        for (var i = 0; i < 4; i++)
        {
            await store.AppendAsync(Event("a", i), CancellationToken.None);
            if (i < 3)
                await store.AppendAsync(Event("b", i), CancellationToken.None);
        }

        var afterA = await store.PeekOutboxAsync(10, CancellationToken.None);
        Assert.Equal([WindowIds.Of(Model, "a", Ids("a", 0, 4))], afterA.Select(e => e.Window.WindowId));

        await store.AppendAsync(Event("b", 3), CancellationToken.None);

        var outbox = await store.PeekOutboxAsync(10, CancellationToken.None);
        var windowB = Assert.Single(outbox, e => e.Window.Header.StreamId == "b").Window;
        Assert.Equal(WindowIds.Of(Model, "b", Ids("b", 0, 4)), windowB.WindowId);
        Assert.Equal(Ids("b", 0, 4), await EventIdsOfAsync(redis, windowB));
        Assert.Equal(Ids("a", 0, 4), await EventIdsOfAsync(redis, afterA[0].Window));
    }

    [Fact]
    public async Task AppendAsync_ModelWithSlash_ThrowsNamingTheModel()
    {
        var context = new WindowTestContext(redis);
        var store = context.CreateWriter();
        var ev = Event("a", 0);
        ev.Header.Model = "bad/model";

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync(ev, CancellationToken.None));
        Assert.Contains("bad/model", ex.Message, StringComparison.Ordinal);
    }
}
