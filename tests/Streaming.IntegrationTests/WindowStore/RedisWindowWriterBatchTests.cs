using StackExchange.Redis;
using Streaming.Contracts;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.WindowStore;
using static Streaming.IntegrationTests.WindowStore.WindowTestContext;

namespace Streaming.IntegrationTests.WindowStore;

/// <summary>
/// Appending a batch in one pipelined round trip (<see cref="WindowAppendBatch"/>) gives exactly
/// what appending the same events one by one gives, and a batch cut short by Redis can be sent
/// again without losing or double-counting an event.
/// </summary>
[Collection(RedisFixtureCollection.Name)]
public sealed class RedisWindowWriterBatchTests(RedisFixture redis)
{
    [Fact]
    public async Task AppendManyAsync_SameEventsAsOneByOne_SameResultsWindowIdsAndContents()
    {
        var events = Interleaved(streams: 3, perStream: 37);
        var single = new WindowTestContext(redis, o => { o.Size = 10; o.Slide = 4; ModelWide(o, 12, 5); });
        var batched = new WindowTestContext(redis, o => { o.Size = 10; o.Slide = 4; ModelWide(o, 12, 5); });

        var one = await AppendAllAsync(single.CreateWriter(), events);
        var many = new List<AppendResult>();
        foreach (var chunk in events.Chunk(16))
            many.AddRange(await batched.CreateWriter().AppendManyAsync(chunk, CancellationToken.None));

        Assert.Equal(one, many);
        Assert.True(many.Sum(r => r.WindowsCreated) > 10);
        await AssertSameWindowsAsync(single, batched);
    }

    [Fact]
    public async Task AppendManyAsync_EventRepeatedInTheBatchAndOneAppliedBefore_EachCountedOnceAsOneByOne()
    {
        var events = Interleaved(streams: 2, perStream: 30);
        // Replays inside one batch: an event sent twice in it, and one applied by an earlier batch.
        var sent = events.Take(25).Concat([events[3], events[20]]).Concat(events.Skip(25)).Concat([events[40]]).ToList();
        var single = new WindowTestContext(redis, o => { o.Size = 8; o.Slide = 3; ModelWide(o, 10, 4); });
        var batched = new WindowTestContext(redis, o => { o.Size = 8; o.Slide = 3; ModelWide(o, 10, 4); });
        await single.CreateWriter().AppendAsync(events[3], CancellationToken.None);
        await batched.CreateWriter().AppendAsync(events[3], CancellationToken.None);

        var one = await AppendAllAsync(single.CreateWriter(), sent);
        var many = await batched.CreateWriter().AppendManyAsync(sent, CancellationToken.None);

        Assert.Equal(one, many);
        Assert.Equal(4, many.Count(r => r.Duplicate));   // events[3] twice, events[20] and events[40] once each
        await AssertSameWindowsAsync(single, batched);
    }

    [Fact]
    public async Task CreateBatch_InvalidEvent_ThrowsOnAddBeforeAnythingIsWritten()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 2; o.Slide = 1; });
        var store = context.CreateWriter();
        var batch = store.CreateBatch();
        batch.Add(Event("a", 0));
        var noId = Event("a", 1);
        noId.Header.EventId = "";

        Assert.Throws<ArgumentException>(() => batch.Add(noId));

        Assert.Equal(1, batch.Count);
        Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync(new WindowKeys(context.Options.KeyPrefix, Model, "a").Ring));
    }

    [Fact]
    public async Task AppendManyAsync_RedisConnectionKilledMidBatch_SentAgainWindowsEveryEventOnce()
    {
        const int streams = 8, perStream = 1_000;
        var events = Interleaved(streams, perStream);
        var clean = new WindowTestContext(redis, o => { o.Size = 20; o.Slide = 10; ModelWide(o, 30, 15); });
        await clean.CreateWriter().AppendManyAsync(events, CancellationToken.None);

        // A connection of its own, so that killing it disturbs nothing else.
        var interrupted = new WindowTestContext(redis, o => { o.Size = 20; o.Slide = 10; ModelWide(o, 30, 15); });
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",abortConnect=false");
        var store = new RedisWindowWriter(connection, Microsoft.Extensions.Options.Options.Create(interrupted.Options), interrupted.Time);
        var clientId = (long)await connection.GetDatabase().ExecuteAsync("CLIENT", "ID");
        var probe = redis.Connection.GetDatabase();
        var ring = new WindowKeys(interrupted.Options.KeyPrefix, Model, "s0").Ring;

        var first = store.AppendManyAsync(events, CancellationToken.None);
        // Kill the connection once Redis has applied part of the batch.
        while (await probe.ListLengthAsync(ring) == 0 && !first.IsCompleted)
            await Task.Delay(1);
        await redis.Connection.GetServer(redis.ConnectionString).ExecuteAsync("CLIENT", "KILL", "ID", clientId);
        var failed = false;
        try
        {
            await first;
        }
        catch (RedisException)
        {
            failed = true;
        }

        Assert.True(failed, "the batch finished before its connection was killed; nothing was interrupted");
        // One script run per 1,000 events of the model (ModelRun.MaxEvents): some applied, the others not.
        // What the consumer does next: the same events again (here as one batch).
        IReadOnlyList<AppendResult> again = [];
        for (var attempt = 0; attempt < 50 && again.Count == 0; attempt++)
        {
            try
            {
                again = await store.AppendManyAsync(events, CancellationToken.None);
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(100);
            }
        }

        Assert.InRange(again.Count(r => r.Duplicate), 1, events.Count - 1);
        Assert.Equal(events.Count, again.Count);
        await AssertSameWindowsAsync(clean, interrupted);
    }

    [Fact]
    public async Task CreatePipeline_SameEventsAsOneByOne_SameResultsWindowIdsAndContents()
    {
        var events = Interleaved(streams: 3, perStream: 37);
        var single = new WindowTestContext(redis, o => { o.Size = 10; o.Slide = 4; ModelWide(o, 12, 5); });
        var pipelined = new WindowTestContext(redis, o => { o.Size = 10; o.Slide = 4; ModelWide(o, 12, 5); });

        var one = await AppendAllAsync(single.CreateWriter(), events);
        // Chunks of 7 in batches of 40: chunk edges fall inside windows and inside batches.
        var many = new List<AppendResult>();
        foreach (var batch in events.Chunk(40))
        {
            await using var pipeline = pipelined.CreateWriter().CreatePipeline(7);
            foreach (var ev in batch)
                await pipeline.AddAsync(ev, CancellationToken.None);
            many.AddRange(await pipeline.CompleteAsync(CancellationToken.None));
        }

        Assert.Equal(one, many);
        Assert.True(many.Sum(r => r.WindowsCreated) > 10);
        await AssertSameWindowsAsync(single, pipelined);
    }

    [Fact]
    public async Task CreatePipeline_InvalidEventAfterAChunkWasSent_ThrowsOnceThatChunkFinishedAndSendsNoMore()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 50; o.Slide = 50; });
        var pipeline = context.CreateWriter().CreatePipeline(3);
        foreach (var ev in Events("a", 0, 4))
            await pipeline.AddAsync(ev, CancellationToken.None);
        var noId = Event("a", 4);
        noId.Header.EventId = "";

        await Assert.ThrowsAsync<ArgumentException>(async () => await pipeline.AddAsync(noId, CancellationToken.None));

        // The first chunk (3 events) was applied; the fourth event, still pending, was not sent.
        Assert.Equal(3, await redis.Connection.GetDatabase().ListLengthAsync(new WindowKeys(context.Options.KeyPrefix, Model, "a").Ring));
    }

    [Fact]
    public async Task CreatePipeline_AChunkFailsForOneWindow_NothingOfItsModelIsWrittenAndNoLaterChunkIsSent()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 50; o.Slide = 50; ModelWide(o, 50, 50); });
        var db = redis.Connection.GetDatabase();
        // Stream s1's ring is not a list: the model's script run fails with WRONGTYPE before it writes
        // anything (Redis keeps a failed script's earlier writes, so the script reads every window first).
        await db.StringSetAsync(new WindowKeys(context.Options.KeyPrefix, Model, "s1").Ring, "not a list");
        var events = Interleaved(streams: 2, perStream: 4);
        var pipeline = context.CreateWriter().CreatePipeline(4);
        for (var i = 0; i < 7; i++)
            await pipeline.AddAsync(events[i], CancellationToken.None);

        // The eighth event fills the second chunk, which waits for the first and finds it failed.
        await Assert.ThrowsAsync<RedisServerException>(async () => await pipeline.AddAsync(events[7], CancellationToken.None));
        await pipeline.DisposeAsync();

        Assert.Equal(0, await db.ListLengthAsync(new WindowKeys(context.Options.KeyPrefix, Model, "s0").Ring));
        Assert.Equal(0, await db.ListLengthAsync(WindowKeys.ModelWide(context.Options.KeyPrefix, Model).Ring));
        var server = redis.Connection.GetServer(redis.ConnectionString);
        Assert.Equal([new WindowKeys(context.Options.KeyPrefix, Model, "s1").Ring.ToString()], server.Keys(pattern: context.Options.KeyPrefix + ":*").Select(k => k.ToString()));

        // Once the key is mended, the same events are applied as if the failure never happened.
        await db.KeyDeleteAsync(new WindowKeys(context.Options.KeyPrefix, Model, "s1").Ring);
        var results = await context.CreateWriter().AppendManyAsync(events, CancellationToken.None);
        Assert.DoesNotContain(results, r => r.Duplicate);
        Assert.Equal(4, await db.ListLengthAsync(new WindowKeys(context.Options.KeyPrefix, Model, "s0").Ring));
        Assert.Equal(8, await db.ListLengthAsync(WindowKeys.ModelWide(context.Options.KeyPrefix, Model).Ring));
    }

    [Fact]
    public async Task ReadOutboxAsync_MoreStreamsThanOnePipelinedRead_ReturnsEveryEntryInIndexOrderUpToMax()
    {
        // 150 streams with 2 windows each: the outboxes are read in more than one pipelined chunk.
        var context = new WindowTestContext(redis, o => { o.Size = 2; o.Slide = 2; });
        var store = context.CreateWriter();
        var events = Interleaved(streams: 150, perStream: 4);
        await store.AppendManyAsync(events, CancellationToken.None);

        var all = await store.ReadOutboxAsync(1_000, CancellationToken.None);
        var some = await store.ReadOutboxAsync(201, CancellationToken.None);

        Assert.Empty(all.Corrupt);
        Assert.Equal(300, all.Windows.Count);
        Assert.Equal(300, all.Windows.Select(e => e.Window.WindowId).Distinct().Count());
        // Per stream in creation order, and a stream's entries are never split from each other but by max.
        foreach (var stream in all.Windows.GroupBy(e => e.Window.Header.StreamId))
            Assert.Equal([1UL, 2UL], stream.Select(e => e.Window.Sequence));
        Assert.Equal(all.Windows.Take(201).Select(e => e.Window.WindowId), some.Windows.Select(e => e.Window.WindowId));
    }

    /// <summary>Both contexts hold the same windows, in the same order, with the same events.</summary>
    private async Task AssertSameWindowsAsync(WindowTestContext expected, WindowTestContext actual)
    {
        var want = await expected.CreateWriter().PeekOutboxAsync(100_000, CancellationToken.None);
        var got = await actual.CreateWriter().PeekOutboxAsync(100_000, CancellationToken.None);
        Assert.Equal(want.Select(e => e.Window.WindowId), got.Select(e => e.Window.WindowId));
        Assert.Equal(want.Select(e => e.Window.Sequence), got.Select(e => e.Window.Sequence));
        foreach (var (w, g) in want.Zip(got))
            Assert.Equal(await EventIdsOfAsync(redis, w.Window), await EventIdsOfAsync(redis, g.Window));
    }
}
