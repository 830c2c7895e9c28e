using Google.Protobuf;
using Streaming.Contracts;
using Streaming.WindowStore;

namespace Streaming.UnitTests.WindowStore;

/// <summary>A stored event is parsed once for the windows that hold it, and only byte-identical reads share it.</summary>
public sealed class ParsedEventCacheTests
{
    [Fact]
    public void Parse_SameKeyAndBytes_TheInstanceParsedFirst()
    {
        var cache = new ParsedEventCache(16);
        var bytes = Event("e1", 0.5f);

        var first = cache.Parse("ev:e1", bytes);
        var again = cache.Parse("ev:e1", [.. bytes]);   // another read of the same value: equal bytes, another array

        Assert.Same(first, again);
        Assert.Equal(ActivationEvent.Parser.ParseFrom(bytes), first);
        Assert.Equal((1, 1), (cache.Hits, cache.Misses));
    }

    [Fact]
    public void Parse_SameKeyOtherBytes_ParsedAgainAndKept()
    {
        var cache = new ParsedEventCache(16);
        cache.Parse("ev:e1", Event("e1", 0.5f));

        var changed = cache.Parse("ev:e1", Event("e1", 0.75f));
        var changedAgain = cache.Parse("ev:e1", Event("e1", 0.75f));

        Assert.Equal(0.75f, changed.Layers[0].Values[1]);
        Assert.Same(changed, changedAgain);
        Assert.Equal((1, 2), (cache.Hits, cache.Misses));
    }

    [Fact]
    public void Parse_SameBytesOtherKey_ParsedAgain()
    {
        var cache = new ParsedEventCache(16);
        var bytes = Event("e1", 0.5f);

        var first = cache.Parse("model-a:e1", bytes);
        var other = cache.Parse("model-b:e1", bytes);

        Assert.NotSame(first, other);
        Assert.Equal(0, cache.Hits);
    }

    [Fact]
    public void Parse_ManyMoreEventsThanCapacity_HoldsAtMostCapacityAndFindsTheRecentHalf()
    {
        var cache = new ParsedEventCache(10);
        var bytes = Enumerable.Range(0, 100).Select(i => Event($"e{i}", i)).ToArray();
        var parsed = new ActivationEvent[100];
        for (var i = 0; i < 100; i++)
        {
            parsed[i] = cache.Parse($"ev:e{i}", bytes[i]);
            Assert.True(cache.Count <= 10, $"{cache.Count} events held after {i + 1}");
        }

        // The last five (half the capacity) are always held; the first ones were dropped and parse again.
        for (var i = 95; i < 100; i++)
            Assert.Same(parsed[i], cache.Parse($"ev:e{i}", bytes[i]));
        Assert.NotSame(parsed[0], cache.Parse("ev:e0", bytes[0]));
    }

    [Fact]
    public void Parse_BytesThatAreNotAnEvent_ThrowsAndKeepsNothing()
    {
        var cache = new ParsedEventCache(16);

        Assert.ThrowsAny<InvalidProtocolBufferException>(() => cache.Parse("ev:bad", [0x0A, 0xFF, 0xFF]));

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Parse_ManyThreadsOverlappingKeys_EachTheEventItsBytesHold()
    {
        var cache = new ParsedEventCache(64);
        var bytes = Enumerable.Range(0, 200).Select(i => Event($"e{i}", i)).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
        {
            for (var n = 0; n < 2000; n++)
            {
                var i = (n * 7 + thread * 13) % 200;
                var parsed = cache.Parse($"ev:e{i}", bytes[i]);
                Assert.Equal($"e{i}", parsed.Header.EventId);
                Assert.Equal(i, parsed.Layers[0].Values[1]);
            }
        })));

        Assert.True(cache.Count <= 64);
        Assert.True(cache.Hits > 0);
    }

    [Fact]
    public void Constructor_CapacityBelowTwo_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParsedEventCache(1));

    private static byte[] Event(string id, float value) => new ActivationEvent
    {
        Header = new EventHeader { SchemaVersion = SchemaVersions.Current, EventId = id, Model = "m", ModelVersion = "1", StreamId = "s" },
        Layers = { new LayerActivation { Layer = "fc1", Values = { 0.25f, value, 1f } } },
    }.ToByteArray();
}
