using Streaming.WindowStore;

namespace Streaming.UnitTests.WindowStore;

public sealed class CountWindowRuleTests
{
    [Theory]
    [InlineData(3, 4, 4, 2, true)]
    [InlineData(2, 4, 4, 2, true)]
    [InlineData(1, 4, 4, 2, false)]
    [InlineData(5, 3, 4, 2, false)]
    [InlineData(4, 4, 4, 4, true)]
    public void Closes_SlideSincePreviousAndSizeHeld_Closes(long sincePrevious, long held, int size, int slide, bool closes)
    {
        Assert.Equal(closes, CountWindowRule.Closes(sincePrevious, held, size, slide));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    [InlineData(100, 50)]
    public void ExpectedCount_AnyStreamLength_CountsTheWindowsClosesCloses(int size, int slide)
    {
        var (sincePrevious, held, closed) = (0, 0, 0);
        for (var events = 1; events <= 3 * size; events++)
        {
            (sincePrevious, held) = (sincePrevious + 1, Math.Min(held + 1, size));
            if (CountWindowRule.Closes(sincePrevious, held, size, slide))
                (sincePrevious, closed) = (0, closed + 1);

            Assert.Equal(closed, CountWindowRule.ExpectedCount(events, size, slide));
        }

        Assert.True(closed > 1);
    }

    [Theory]
    [InlineData(1, 4, 2, 4)]
    [InlineData(4, 4, 2, 4)]
    [InlineData(5, 4, 2, 6)]
    [InlineData(6, 4, 2, 6)]
    [InlineData(7, 4, 3, 7)]
    [InlineData(8, 4, 3, 10)]
    public void WholeWindows_AnyCount_RoundsUpToTheNextClosingEvent(int events, int size, int slide, int whole)
    {
        Assert.Equal(whole, CountWindowRule.WholeWindows(events, size, slide));
        // Exactly the windows' end: one more event would only start the next slide.
        Assert.True(CountWindowRule.ExpectedCount(whole, size, slide) > CountWindowRule.ExpectedCount(whole - 1, size, slide));
    }
}
