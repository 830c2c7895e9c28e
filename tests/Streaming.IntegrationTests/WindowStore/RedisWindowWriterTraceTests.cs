using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Google.Protobuf;
using StackExchange.Redis;
using Streaming.Contracts;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.WindowStore;
using static Streaming.IntegrationTests.WindowStore.WindowTestContext;

namespace Streaming.IntegrationTests.WindowStore;

/// <summary>The trace context an outbox entry keeps of the event that completed its window, on a real redis-server.</summary>
[Collection(RedisFixtureCollection.Name)]
public sealed class RedisWindowWriterTraceTests(RedisFixture redis)
{
    [Fact]
    public async Task AppendAsync_CompletingEventUnderAnActivity_EntryKeepsItsTraceContextAndAcks()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 2; o.Slide = 2; });
        var store = context.CreateWriter();
        var traceId = ActivityTraceId.CreateRandom();
        using (var appending = new Activity("append").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            appending.TraceStateString = "vendor=value";
            await AppendAllAsync(store, Events("a", 0, 2));
        }

        await AppendAllAsync(store, Events("b", 0, 2));
        var entries = await store.PeekOutboxAsync(10, CancellationToken.None);

        var traced = Assert.Single(entries, e => e.Window.Header.StreamId == "a");
        Assert.True(ActivityContext.TryParse(traced.TraceParent, traced.TraceState, out var parent));
        Assert.Equal(traceId, parent.TraceId);
        Assert.Equal("vendor=value", traced.TraceState);
        // The trace context is kept beside the window, never inside the published message.
        Assert.Equal(traced.Window, WindowReady.Parser.ParseFrom(traced.Payload));
        Assert.DoesNotContain(traceId.ToHexString(), Encoding.Latin1.GetString(traced.Payload), StringComparison.Ordinal);
        var untraced = Assert.Single(entries, e => e.Window.Header.StreamId == "b");
        Assert.Null(untraced.TraceParent);
        Assert.Null(untraced.TraceState);

        await store.AckOutboxAsync(traced, CancellationToken.None);
        Assert.Equal(["b"], (await store.PeekOutboxAsync(10, CancellationToken.None)).Select(e => e.Window.Header.StreamId));
    }

    [Fact]
    public async Task CreateBatch_EachEventUnderItsOwnActivity_WindowKeepsTheTraceOfTheEventThatCompletedIt()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 3; o.Slide = 3; WindowTestContext.ModelWide(o, 3, 3); });
        var store = context.CreateWriter();
        var batch = store.CreateBatch();
        var traces = new List<ActivityTraceId>();
        foreach (var ev in Events("a", 0, 3))
        {
            var traceId = ActivityTraceId.CreateRandom();
            traces.Add(traceId);
            using var consuming = new Activity("consume").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start();
            batch.Add(ev);
        }

        await batch.ExecuteAsync(CancellationToken.None);
        var entries = await store.PeekOutboxAsync(10, CancellationToken.None);

        // The stream window and the model-wide window, both completed by the third event.
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.True(ActivityContext.TryParse(e.TraceParent, e.TraceState, out var parent), $"{e.Window.WindowId}: traceparent '{e.TraceParent}'");
            Assert.Equal(traces[^1], parent.TraceId);
        });
    }

    [Fact]
    public async Task AppendAsync_TraceStateOver512Chars_KeepsTheTraceParentOnly()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 2; o.Slide = 2; });
        var store = context.CreateWriter();
        var traceId = ActivityTraceId.CreateRandom();
        using (var appending = new Activity("append").SetParentId(traceId, ActivitySpanId.CreateRandom()).Start())
        {
            appending.TraceStateString = "vendor=" + new string('x', 600);
            await AppendAllAsync(store, Events("a", 0, 2));
        }

        var entry = Assert.Single(await store.PeekOutboxAsync(10, CancellationToken.None));

        Assert.True(ActivityContext.TryParse(entry.TraceParent, null, out var parent));
        Assert.Equal(traceId, parent.TraceId);
        Assert.Null(entry.TraceState);
    }

    [Fact]
    public async Task ReadOutboxAsync_MalformedTraceParentField_StillReadsTheWindowWithoutTrace()
    {
        var (store, bare, outbox) = await OneWindowTakenOutAsync();
        var db = redis.Connection.GetDatabase();
        byte[] withBadTrace = [.. bare.Stored, .. Encoding.ASCII.GetBytes("tp:18:00-not-a-trace\n-01\n")];
        await db.ListRightPushAsync(outbox, withBadTrace);

        var batch = await store.ReadOutboxAsync(10, CancellationToken.None);

        Assert.Empty(batch.Corrupt);
        var entry = Assert.Single(batch.Windows);
        Assert.Null(entry.TraceParent);
        Assert.Equal(bare.Window, entry.Window);
        Assert.Equal(withBadTrace, entry.Stored);
    }

    [Fact]
    public async Task ReadOutboxAsync_FieldCutShort_ReportsItAsCorrupt()
    {
        var (store, outbox) = await OneWindowAsync();
        var cut = Encoding.ASCII.GetBytes("w1\nid:36:0123");
        await redis.Connection.GetDatabase().ListRightPushAsync(outbox, cut);

        var batch = await store.ReadOutboxAsync(10, CancellationToken.None);

        Assert.Single(batch.Windows);
        var corrupt = Assert.Single(batch.Corrupt);
        Assert.Equal(cut, corrupt.Payload);
        Assert.Contains("'id' is cut short", corrupt.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadOutboxAsync_OldFormatEntries_ReadAsBeforeWithTheirTraceContext()
    {
        // Entries the scripts wrote before the plain-fields format: a bare WindowReady, or one after a trace envelope.
        var (store, current, outbox) = await OneWindowTakenOutAsync();
        var db = redis.Connection.GetDatabase();
        var traceId = ActivityTraceId.CreateRandom();
        var parent = $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
        var bare = current.Window.ToByteArray();
        var wrapped = Envelope(parent, "vendor=value", bare);
        await db.ListRightPushAsync(outbox, new RedisValue[] { bare, wrapped });

        var batch = await store.ReadOutboxAsync(10, CancellationToken.None);

        Assert.Empty(batch.Corrupt);
        Assert.Equal(2, batch.Windows.Count);
        Assert.All(batch.Windows, e => Assert.Equal(current.Window, e.Window));
        Assert.All(batch.Windows, e => Assert.Equal(bare, e.Payload));
        Assert.Equal(new[] { bare, wrapped }, batch.Windows.Select(e => e.Stored));
        Assert.Equal(new string?[] { null, parent }, batch.Windows.Select(e => e.TraceParent));
        Assert.Equal(new string?[] { null, "vendor=value" }, batch.Windows.Select(e => e.TraceState));
        foreach (var entry in batch.Windows)
            await store.AckOutboxAsync(entry, CancellationToken.None);
        Assert.Equal(0, await db.ListLengthAsync(outbox));
    }

    [Fact]
    public async Task ReadOutboxAsync_OldFormatEnvelopeWithMalformedTraceParent_StillReadsTheWindowWithoutTrace()
    {
        var (store, bare, outbox) = await OneWindowTakenOutAsync();
        var db = redis.Connection.GetDatabase();
        var wrapped = Envelope("00-not-a-trace\n-01", "", bare.Payload); // An entry of the format before the plain fields.
        await db.ListRightPushAsync(outbox, wrapped);

        var batch = await store.ReadOutboxAsync(10, CancellationToken.None);

        Assert.Empty(batch.Corrupt);
        var entry = Assert.Single(batch.Windows);
        Assert.Null(entry.TraceParent);
        Assert.Equal(bare.Payload, entry.Payload);
        Assert.Equal(wrapped, entry.Stored);
    }

    [Fact]
    public async Task ReadOutboxAsync_OldFormatEnvelopeCutShort_ReportsItAsCorrupt()
    {
        var (store, outbox) = await OneWindowAsync();
        byte[] cut = [0, 1, 0x01, 0x00, (byte)'0'];
        await redis.Connection.GetDatabase().ListRightPushAsync(outbox, cut);

        var batch = await store.ReadOutboxAsync(10, CancellationToken.None);

        Assert.Single(batch.Windows);
        var corrupt = Assert.Single(batch.Corrupt);
        Assert.Equal(cut, corrupt.Payload);
        Assert.Contains("cut short", corrupt.Reason, StringComparison.Ordinal);
    }

    /// <summary>A writer with windows of two events and one window of stream "a" in its outbox; the outbox key.</summary>
    private async Task<(RedisWindowWriter Store, RedisKey Outbox)> OneWindowAsync()
    {
        var context = new WindowTestContext(redis, o => { o.Size = 2; o.Slide = 2; });
        var store = context.CreateWriter();
        await AppendAllAsync(store, Events("a", 0, 2));
        return (store, new WindowKeys(context.Options.KeyPrefix, Model, "a").Outbox);
    }

    /// <summary>As <see cref="OneWindowAsync"/>, with the window's entry taken out of the outbox, for a test to put back in another form.</summary>
    private async Task<(RedisWindowWriter Store, OutboxEntry Entry, RedisKey Outbox)> OneWindowTakenOutAsync()
    {
        var (store, outbox) = await OneWindowAsync();
        var entry = Assert.Single(await store.PeekOutboxAsync(10, CancellationToken.None));
        await redis.Connection.GetDatabase().ListRemoveAsync(outbox, entry.Stored);
        return (store, entry, outbox);
    }

    /// <summary>The envelope the append script wrote before the plain-fields format (see OutboxTrace), built independently here.</summary>
    private static byte[] Envelope(string parent, string state, byte[] payload)
    {
        var bytes = new List<byte> { 0, 1 };
        foreach (var field in new[] { parent, state })
        {
            var text = Encoding.ASCII.GetBytes(field);
            var length = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)text.Length);
            bytes.AddRange(length);
            bytes.AddRange(text);
        }

        bytes.AddRange(payload);
        return [.. bytes];
    }
}
