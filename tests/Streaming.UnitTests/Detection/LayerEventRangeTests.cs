using Streaming.Detection;

namespace Streaming.UnitTests.Detection;

public sealed class LayerEventRangeTests
{
    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 100)]
    [InlineData(2, 5)]
    [InlineData(3, 61)]
    [InlineData(16, 800)]
    public void Split_EveryEventOfEveryLayerOnceInOrder(int threads, int events)
    {
        long[] costs = [32_000, 64_000, 128_000, 10_000];
        var ranges = LayerEventRange.Split(costs, events, threads);

        for (int layer = 0; layer < costs.Length; layer++)
        {
            var own = ranges.Where(r => r.Layer == layer).ToList();
            Assert.NotEmpty(own);
            int next = 0;
            foreach (var range in own)
            {
                Assert.Equal(next, range.Start);
                Assert.True(range.Count > 0);
                next += range.Count;
            }
            Assert.Equal(events, next);
            // Whole groups of six (the tiles' step) but the last.
            Assert.All(own.SkipLast(1), r => Assert.Equal(0, r.Count % 6));
        }
    }

    [Fact]
    public void Split_OneThread_OneRangePerLayer()
    {
        var ranges = LayerEventRange.Split([32_000, 128_000], 100, threads: 1);

        Assert.Equal([new LayerEventRange(0, 0, 100), new LayerEventRange(1, 0, 100)], ranges);
    }

    [Fact]
    public void Split_SeveralThreads_CostlierLayerInMoreRangesAndNoRangeMuchAboveItsShare()
    {
        long[] costs = [10_000, 128_000];
        var ranges = LayerEventRange.Split(costs, 600, threads: 2);

        Assert.Single(ranges, r => r.Layer == 0);
        Assert.True(ranges.Count(r => r.Layer == 1) >= 6, $"{ranges.Count(r => r.Layer == 1)} ranges of the costly layer");
        double total = costs.Sum(c => (double)c) * 600;
        Assert.All(ranges, r => Assert.True(r.Count * (double)costs[r.Layer] <= total / 8 * 1.2, $"range {r} costs more than an eighth of the call"));
    }

    [Fact]
    public void Split_NoEvents_NoRanges() => Assert.Empty(LayerEventRange.Split([1, 2], 0, threads: 2));
}
