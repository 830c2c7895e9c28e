using Streaming.Detection;

namespace Streaming.UnitTests.Detection;

public sealed class HostWorkTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Run_EveryItemOnce(int threads)
    {
        var runs = new int[257];

        HostWork.Run(runs.Length, threads, i => Interlocked.Increment(ref runs[i]));

        Assert.All(runs, count => Assert.Equal(1, count));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Run_ItemThrows_TheSameExceptionUnwrapped(int threads)
    {
        var error = Assert.Throws<ArgumentException>(() => HostWork.Run(64, threads, i =>
        {
            if (i == 17) throw new ArgumentException("item 17 refused");
        }));

        Assert.Equal("item 17 refused", error.Message);
    }

    [Fact]
    public void Run_NoThreads_Refused() => Assert.Throws<ArgumentOutOfRangeException>(() => HostWork.Run(1, 0, _ => { }));
}
