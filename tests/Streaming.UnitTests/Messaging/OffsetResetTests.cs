using Streaming.Messaging;

namespace Streaming.UnitTests.Messaging;

public sealed class OffsetResetTests
{
    [Fact]
    public void TryParse_RetentionLineOfThisLibrdkafka_PartitionPositionsAndSkipped()
    {
        // Word for word what librdkafka 2.x logged in a Windowing process when the embedded broker had dropped unread messages.
        const string line = "[thrd:main]: activations [3]: offset reset (at offset 3917 (leader epoch 0), broker 1) to cached BEGINNING offset offset 5480 (leader epoch -1): fetch failed due to requested offset not available on the broker: Broker: Offset out of range";

        Assert.True(OffsetReset.TryParse(line, out var reset));

        Assert.Equal(3, reset.Partition);
        Assert.Equal(3917, reset.From);
        Assert.Equal(5480, reset.To);
        Assert.Equal(1563, reset.Skipped);
        Assert.Equal("fetch failed due to requested offset not available on the broker: Broker: Offset out of range", reset.Reason);
    }

    [Fact]
    public void TryParse_WithoutLeaderEpochs_Parsed()
    {
        Assert.True(OffsetReset.TryParse("windows [0]: offset reset (at offset 12, broker 2) to END offset 40: fetch failed due to requested offset not available on the broker: Broker: Offset out of range", out var reset));

        Assert.Equal((0, 12L, 40L, 28L), (reset.Partition, reset.From, reset.To, reset.Skipped));
    }

    [Fact]
    public void TryParse_MovedBack_NothingSkipped()
    {
        Assert.True(OffsetReset.TryParse("t [1]: offset reset (at offset 900 (leader epoch 3), broker 1) to BEGINNING offset 100 (leader epoch 3): truncated: Local: Log truncation", out var reset));

        Assert.Equal(0, reset.Skipped);
    }

    [Fact]
    public void TryParse_TargetWithoutANumber_SkippedUnknown()
    {
        Assert.True(OffsetReset.TryParse("t [5]: offset reset (at offset 77, broker 1) to offset BEGINNING: fetch failed: Broker: Offset out of range", out var reset));

        Assert.Equal(77, reset.From);
        Assert.Null(reset.To);
        Assert.Null(reset.Skipped);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("[thrd:main]: activations [3]: offset reset (at offset INVALID, broker 1) to BEGINNING: no previously committed offset available: Local: No offset stored")]
    [InlineData("[thrd:GroupCoordinator]: GroupCoordinator: Broker: Not coordinator")]
    [InlineData("t [99999999999]: offset reset (at offset 1, broker 1) to END offset 2: x: y")]
    [InlineData("t [1]: offset reset (at offset 99999999999999999999, broker 1) to END offset 2: x: y")]
    public void TryParse_OtherLines_NotAReset(string? line) => Assert.False(OffsetReset.TryParse(line, out _));
}
