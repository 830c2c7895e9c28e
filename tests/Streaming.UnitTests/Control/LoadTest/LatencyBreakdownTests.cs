using Streaming.Control.Demo;
using Streaming.Control.LoadTest;

namespace Streaming.UnitTests.Control.LoadTest;

public sealed class LatencyBreakdownTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Of_WindowsWithKnownAnnouncements_StagesAddUpToTheTotalAndTheSlowestWindowNamesItsStage()
    {
        // 99 windows of 100 ms (20 windowing, 10 outbox, 30 queue, 15 test, 25 delivery) and one of
        // 1,100 ms whose extra second waited in the Detector's queue.
        var timings = new List<DetectionTiming>();
        var announcements = new Dictionary<string, (DateTimeOffset, DateTimeOffset)>();
        for (var i = 0; i < 100; i++)
        {
            var last = T0.AddSeconds(i);
            var queue = i == 42 ? 1030 : 30;
            var closed = last.AddMilliseconds(20);
            var announced = closed.AddMilliseconds(10);
            var detected = announced.AddMilliseconds(queue + 15);
            timings.Add(new DetectionTiming($"w{i}", last, detected, detected.AddMilliseconds(25), TestMs: 15));
            announcements[$"w{i}"] = (closed, announced);
        }

        var stages = LatencyBreakdown.Of(timings, id => announcements.TryGetValue(id, out var t) ? t : null).ToDictionary(s => s.Stage);

        Assert.Equal(LatencyBreakdown.Stages, stages.Keys);
        Assert.Equal(20, stages["windowing"].P50Ms, 6);
        Assert.Equal(10, stages["outbox"].P50Ms, 6);
        Assert.Equal(30, stages["queue"].P50Ms, 6);
        Assert.Equal(15, stages["test"].P50Ms, 6);
        Assert.Equal(25, stages["delivery"].P50Ms, 6);
        // The p99 of the total is the one slow window: its mean over the slowest 1 % is that window's own split.
        Assert.Equal(1030, stages["queue"].SlowestMeanMs, 6);
        Assert.Equal(20, stages["windowing"].SlowestMeanMs, 6);
        Assert.Equal(1100, stages.Values.Sum(s => s.SlowestMeanMs), 6);
        Assert.Equal([42.0], LatencyBreakdown.SlowestAtSeconds(timings, T0, 1));
    }

    [Fact]
    public void Of_AnnouncementNotSeen_WindowLeftOutAndNoWindowsGiveNoStages()
    {
        var timing = new DetectionTiming("w", T0, T0.AddMilliseconds(50), T0.AddMilliseconds(60), 10);

        Assert.Empty(LatencyBreakdown.Of([timing], _ => null));
        Assert.Empty(LatencyBreakdown.Of([], _ => null));
    }
}
