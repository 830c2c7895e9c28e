using Streaming.Control.Demo;

namespace Streaming.UnitTests.Control;

public sealed class DemoArithmeticTests
{
    [Theory]
    [InlineData(99, 0)]
    [InlineData(100, 1)]
    [InlineData(149, 1)]
    [InlineData(150, 2)]
    [InlineData(2000, 39)]
    public void ExpectedWindows_OneAtSizeThenOneEverySlide(int events, int windows)
    {
        Assert.Equal(windows, new DemoOptions { WindowSize = 100, WindowSlide = 50 }.ExpectedWindows(events));
    }

    [Fact]
    public void Percentile_NearestRank()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        Assert.Equal(5, WebhookLatencies.Percentile(sorted, 0.50));
        Assert.Equal(10, WebhookLatencies.Percentile(sorted, 0.99));
        Assert.Equal(1, WebhookLatencies.Percentile(sorted, 0.0));
    }

    [Fact]
    public void Summarize_NoSamples_IsZero()
    {
        Assert.Equal(new LatencySummary(0, 0, 0), WebhookLatencies.Summarize([]));
    }
}
