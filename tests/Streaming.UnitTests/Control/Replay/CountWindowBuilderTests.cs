using Streaming.Contracts;
using Streaming.Control.Replay;

namespace Streaming.UnitTests.Control.Replay;

public sealed class CountWindowBuilderTests
{
    private static ActivationEvent Event(string stream, int i) => new()
    {
        Header = new EventHeader { SchemaVersion = 1, EventId = $"{stream}-{i}", Model = "m", StreamId = stream },
    };

    [Fact]
    public void Add_EmitsAtSizeThenEverySlide_WithTheLastSizeEvents()
    {
        var builder = new CountWindowBuilder(size: 4, slide: 2);
        var emitted = new List<(long Sequence, string[] Ids)>();

        for (var i = 0; i < 9; i++)
        {
            var window = builder.Add(Event("s", i), out var sequence);
            if (window is not null) emitted.Add((sequence, window.Select(e => e.Header.EventId).ToArray()));
        }

        Assert.Equal([1L, 2L, 3L], emitted.Select(w => w.Sequence));
        Assert.Equal(["s-0", "s-1", "s-2", "s-3"], emitted[0].Ids);
        Assert.Equal(["s-2", "s-3", "s-4", "s-5"], emitted[1].Ids);
        Assert.Equal(["s-4", "s-5", "s-6", "s-7"], emitted[2].Ids);
    }

    [Fact]
    public void Add_DuplicateEventIdsAndOtherStreams_DoNotCount()
    {
        var builder = new CountWindowBuilder(size: 2, slide: 2);

        Assert.Null(builder.Add(Event("a", 0), out _));
        Assert.Null(builder.Add(Event("a", 0), out _));
        Assert.Null(builder.Add(Event("b", 0), out _));
        var window = builder.Add(Event("a", 1), out var sequence);

        Assert.NotNull(window);
        Assert.Equal(1, sequence);
        Assert.Equal(["a-0", "a-1"], window.Select(e => e.Header.EventId));
    }

    [Theory]
    [InlineData("1234", null, 1234L)]
    [InlineData("2026-11-24T09:00:00Z", "2026-11-24T09:00:00+00:00", null)]
    public void Boundary_ParsesOffsetsAndTimestamps(string text, string? timestamp, long? offset)
    {
        var boundary = ReplayBoundary.Parse(text)!;

        Assert.Equal(offset, boundary.Offset);
        Assert.Equal(timestamp is null ? null : DateTimeOffset.Parse(timestamp), boundary.Timestamp);
    }

    [Fact]
    public void Boundary_Garbage_SaysWhatIsExpected()
    {
        var ex = Assert.Throws<ArgumentException>(() => ReplayBoundary.Parse("last tuesday"));

        Assert.Contains("neither an offset", ex.Message);
    }
}
