using Google.Protobuf;
using StackExchange.Redis;
using Streaming.Contracts;
using Streaming.IntegrationTests.Alerting;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.WindowStore;
using static Streaming.IntegrationTests.WindowStore.WindowTestContext;

namespace Streaming.IntegrationTests.WindowStore;

/// <summary>
/// The window of one model across all its streams: an attacker who sends every input on a new
/// stream id fills no stream window, but fills this one.
/// </summary>
[Collection(RedisFixtureCollection.Name)]
public sealed class RedisWindowWriterModelWideTests(RedisFixture redis)
{
    private const int Streams = 10;

    [Fact]
    public async Task AppendAsync_TenStreamsOfTenEvents_OneModelWideWindowOfAllHundred()
    {
        // Stream windows of 20 never fill with 10 events per stream; the model-wide one of 100 does.
        var context = new WindowTestContext(redis, o => { o.Size = 20; o.Slide = 20; ModelWide(o, 100, 100); });
        var store = context.CreateWriter();
        var events = Interleaved(Streams, 10);

        var results = await AppendAllAsync(store, events);

        Assert.Equal(1, results.Sum(r => r.WindowsCreated));
        Assert.Equal(1, results[^1].WindowsCreated);
        var entry = Assert.Single(await store.PeekOutboxAsync(10, CancellationToken.None));
        var window = entry.Window;
        Assert.Equal(WindowScopes.Model, window.Scope);
        Assert.Equal(WindowScopes.ModelWideStreamId, window.Header.StreamId);
        Assert.Equal(Model, window.Header.Model);
        Assert.Equal(ModelVersion, window.Header.ModelVersion);
        Assert.Equal(100U, window.Size);
        Assert.Equal("count", window.Trigger);
        Assert.Equal(WindowIds.OfModel(Model, events.Select(e => (e.Header.StreamId, e.Header.EventId))), window.WindowId);
        Assert.StartsWith($"{Model}/{WindowScopes.ModelWideStreamId}/", window.WindowId, StringComparison.Ordinal);
        Assert.Contains($"{{{Model}}}:{WindowScopes.ModelWideStreamId}:win:", window.WindowKey, StringComparison.Ordinal);
        // What is published is the WindowReady read here (scope included).
        Assert.Equal(window.ToByteArray(), entry.Payload);

        var contents = await context.CreateReader().ReadWindowAsync(window.WindowKey, CancellationToken.None);
        Assert.Equal(events, contents.Events);
        Assert.Equal(Streams, contents.Events.Select(e => e.Header.StreamId).Distinct().Count());
        Assert.Empty(contents.MissingEventIds);
    }

    [Fact]
    public async Task AppendAsync_StreamWindowsAndModelWide_BothEmittedWithDistinctIdsAndScopes()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 4; o.Slide = 4; ModelWide(o, 4, 4); });
        var store = context.CreateWriter();

        // One stream only: both windows hold the same four events, yet their ids differ.
        var results = await AppendAllAsync(store, Events("a", 0, 4));

        Assert.Equal(2, results[^1].WindowsCreated);
        var outbox = await store.PeekOutboxAsync(10, CancellationToken.None);
        var streamWindow = Assert.Single(outbox, e => e.Window.Scope == WindowScopes.Stream).Window;
        var modelWindow = Assert.Single(outbox, e => e.Window.Scope == WindowScopes.Model).Window;
        Assert.Equal(WindowIds.Of(Model, "a", Ids("a", 0, 4)), streamWindow.WindowId);
        Assert.Equal(WindowIds.OfModel(Model, Ids("a", 0, 4).Select(id => ("a", id))), modelWindow.WindowId);
        Assert.NotEqual(streamWindow.WindowId, modelWindow.WindowId);
        Assert.NotEqual(streamWindow.WindowKey, modelWindow.WindowKey);
        Assert.Equal(await EventIdsOfAsync(redis, streamWindow), await EventIdsOfAsync(redis, modelWindow));
    }

    [Fact]
    public async Task AppendAsync_SameEventIdOnTwoStreams_ModelWideWindowHoldsBoth()
    {
        // Event ids are unique per stream only; reusing another stream's id must not hide an input.
        var context = new WindowTestContext(redis, o => ModelWide(o, 2, 2));
        var store = context.CreateWriter();

        var results = await AppendAllAsync(store, [Event("clean", 0, "shared-id"), Event("attacker", 1, "shared-id")]);

        Assert.All(results, r => Assert.False(r.Duplicate));
        var window = Assert.Single(await store.PeekOutboxAsync(10, CancellationToken.None)).Window;
        var contents = await context.CreateReader().ReadWindowAsync(window.WindowKey, CancellationToken.None);
        Assert.Equal(["clean", "attacker"], contents.Events.Select(e => e.Header.StreamId));
    }

    [Fact]
    public async Task AppendAsync_ReplayAfterRestart_SameModelWideWindowsAsAnUninterruptedRun()
    {
        var crashed = new WindowTestContext(redis, o => ModelWide(o, 20, 10));
        var clean = new WindowTestContext(redis, o => ModelWide(o, 20, 10));
        var events = Interleaved(Streams, 10);

        // Crashed run: applied 60 events, committed the offset of the 40th, a new instance re-reads from there.
        await AppendAllAsync(crashed.CreateWriter(), events.Take(60));
        var restarted = crashed.CreateWriter();
        var replay = await AppendAllAsync(restarted, events.Skip(40));
        await AppendAllAsync(clean.CreateWriter(), events);

        Assert.Equal(20, replay.Count(r => r.Duplicate));
        var crashedWindows = await restarted.PeekOutboxAsync(100, CancellationToken.None);
        var cleanStore = clean.CreateWriter();
        var cleanWindows = await cleanStore.PeekOutboxAsync(100, CancellationToken.None);
        Assert.Equal(9, cleanWindows.Count);
        Assert.Equal(cleanWindows.Select(e => e.Window.WindowId), crashedWindows.Select(e => e.Window.WindowId));
        for (var i = 0; i < cleanWindows.Count; i++)
        {
            Assert.Equal(
                await EventIdsOfAsync(redis, cleanWindows[i].Window),
                await EventIdsOfAsync(redis, crashedWindows[i].Window));
        }
    }

    [Fact]
    public async Task FlushDueAsync_QuietModel_TimeWindowOnlyWithModelWideMinSizeAfterModelWideMaxWait()
    {
        // The stream windows wait an hour; the model-wide one has its own 10 s and MinSize 5.
        var context = new WindowTestContext(redis, o =>
        {
            o.Size = 50; o.Slide = 50; o.MinSize = 2; o.MaxWait = TimeSpan.FromHours(1);
            ModelWide(o, 100, 50, minSize: 5, maxWait: TimeSpan.FromSeconds(10));
        });
        var store = context.CreateWriter();

        // Four events on four streams, 11 s old: below the model-wide MinSize, so nothing.
        await AppendAllAsync(store, Enumerable.Range(0, 4).Select(i => Event($"s{i}", 0)));
        context.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(0, await store.FlushDueAsync(CancellationToken.None));

        // A fifth: the oldest waited past the model-wide MaxWait. Stream s0 now has its MinSize of 2
        // too, but its MaxWait is an hour.
        await store.AppendAsync(Event("s0", 1), CancellationToken.None);
        Assert.Equal(1, await store.FlushDueAsync(CancellationToken.None));

        var window = Assert.Single(await store.PeekOutboxAsync(10, CancellationToken.None)).Window;
        Assert.Equal(WindowScopes.Model, window.Scope);
        Assert.Equal("time", window.Trigger);
        Assert.Equal(5U, window.Size);
        Assert.Equal(["s0", "s1", "s2", "s3", "s0"], (await context.CreateReader().ReadWindowAsync(window.WindowKey, CancellationToken.None)).Events.Select(e => e.Header.StreamId));

        // Five new events: emitted only once the oldest of them waited 10 s.
        await AppendAllAsync(store, Enumerable.Range(5, 5).Select(i => Event($"s{i}", 0)));
        context.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await store.FlushDueAsync(CancellationToken.None));
        context.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await store.FlushDueAsync(CancellationToken.None));
        var outbox = await store.PeekOutboxAsync(10, CancellationToken.None);
        Assert.Equal(2, outbox.Count);
        Assert.All(outbox, e => Assert.Equal(WindowScopes.Model, e.Window.Scope));
    }

    [Fact]
    public async Task AppendAsync_ManyEvents_ModelWideRingBoundedAndEveryKeyExpires()
    {
        var context = new WindowTestContext(redis, o => ModelWide(o, 30, 10));
        var store = context.CreateWriter();

        await AppendAllAsync(store, Interleaved(Streams, 25));

        var db = redis.Connection.GetDatabase();
        var model = $"{context.Options.KeyPrefix}:{{{Model}}}:";
        Assert.Equal(30, await db.ListLengthAsync(model + WindowScopes.ModelWideStreamId + ":ring"));
        var server = redis.Connection.GetServer(redis.ConnectionString);
        var keys = server.Keys(pattern: model + "*").ToList();
        Assert.Contains(keys, k => k.ToString().Contains(":ev:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.ToString().StartsWith(model + WindowScopes.ModelWideStreamId + ":win:", StringComparison.Ordinal));
        // Idle TTL: nothing of the model's windows outlives EventTtl (DedupeTtl for the markers).
        foreach (var key in keys)
        {
            var ttl = await db.KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } t && t > TimeSpan.Zero && t <= context.Options.DedupeTtl, $"{key} has no expiry");
        }
    }

    [Fact]
    public async Task PeekOutboxAsync_ModelIdleLongerThanEventTtl_ModelWideStateAndOutboxGo()
    {
        var context = new WindowTestContext(redis, o => { ModelWide(o, 3, 3); o.EventTtl = TimeSpan.FromMilliseconds(300); });
        var store = context.CreateWriter();
        var db = redis.Connection.GetDatabase();
        var tag = $"{context.Options.KeyPrefix}:{{{Model}}}:{WindowScopes.ModelWideStreamId}";
        await AppendAllAsync(store, Interleaved(3, 1));
        Assert.Single(await store.PeekOutboxAsync(10, CancellationToken.None));

        Assert.True(await Eventually.WaitUntilAsync(() => !db.KeyExists(tag + ":outbox") && !db.KeyExists(tag + ":state"), TimeSpan.FromSeconds(10), CancellationToken.None));
        context.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.Empty(await store.PeekOutboxAsync(10, CancellationToken.None));
        Assert.False(await db.KeyExistsAsync(tag + ":ring"));
    }

    [Fact]
    public async Task AppendAsync_ModelWideDisabled_OnlyStreamWindows()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 4; o.Slide = 4; ModelWide(o, 4, 4); o.ModelWide.Enabled = false; });
        var store = context.CreateWriter();

        await AppendAllAsync(store, Interleaved(2, 4));

        var outbox = await store.PeekOutboxAsync(10, CancellationToken.None);
        Assert.Equal(2, outbox.Count);
        Assert.All(outbox, e => Assert.Equal(WindowScopes.Stream, e.Window.Scope));
    }

    [Theory]
    [InlineData("__model")]
    [InlineData("__anything")]
    public async Task AppendAsync_ReservedStreamId_ThrowsAndWritesNothing(string stream)
    {
        var context = new WindowTestContext(redis, o => ModelWide(o, 2, 2));
        var store = context.CreateWriter();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync(Event(stream, 0), CancellationToken.None));

        Assert.Contains("reserved", ex.Message, StringComparison.Ordinal);
        var server = redis.Connection.GetServer(redis.ConnectionString);
        Assert.Empty(server.Keys(pattern: context.Options.KeyPrefix + ":*"));
    }
}
