using System.Diagnostics;
using System.Globalization;
using Streaming.Contracts;
using Streaming.Detection.WindowTest;
using Streaming.Detector;
using Streaming.WindowStore;
using Streaming.IntegrationTests.Alerting;
using Xunit.Abstractions;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// Fault test with real processes: the Detector is killed with SIGKILL while events stream in, and
/// restarted. Every window Windowing announced must still be tested (a DetectionResult for every
/// WindowReady), and what the crash repeats must repeat with the same ids: a detection's id and an
/// alert's id derive from the window, so a receiver that de-duplicates sees each window and each
/// alert once.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class DetectorRestartTests(ITestOutputHelper output)
{
    private const int Size = 20;
    private const int Slide = 10;
    private const int EventsPerStream = 300;
    private const int EventsPerSecondPerStream = 30;
    private static readonly (string Stream, float Shift)[] Streams = [("attacked", 1.0f), ("clean", 0f)];

    [Fact]
    public async Task KilledMidStreamAndRestarted_EveryWindowTested_DuplicatesOnlyWithTheSameIds()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var pipeline = await ServicePipeline.StartAsync(nameof(DetectorRestartTests), new Dictionary<string, string>
        {
            ["WindowStore__Size"] = Size.ToString(CultureInfo.InvariantCulture),
            ["WindowStore__Slide"] = Slide.ToString(CultureInfo.InvariantCulture),
            ["WindowStore__ModelWide__Size"] = Size.ToString(CultureInfo.InvariantCulture),
            ["WindowStore__ModelWide__Slide"] = Slide.ToString(CultureInfo.InvariantCulture),
        }, ct);
        using var windows = new TopicReader(pipeline.Options, Topics.Windows);
        using var detections = new TopicReader(pipeline.Options, Topics.Detections);
        using var alerts = new TopicReader(pipeline.Options, Topics.Alerts);

        // Events arrive over ~10 s, so windows keep coming while the Detector is down and restarting.
        var traffic = Task.Run(() => pipeline.ProduceSteadilyAsync(Streams, EventsPerStream, EventsPerSecondPerStream, seed: 11, ct), ct);
        await detections.WaitForAsync(10, TimeSpan.FromSeconds(60), ct);
        pipeline.Detector.Kill();
        var testedBeforeKill = detections.Messages.Count;
        var windowsAtKill = windows.Messages.Count;
        var restarted = Stopwatch.StartNew();
        await pipeline.RestartAsync("Detector", 0, ct);
        var startedAfter = restarted.Elapsed;
        await traffic;

        // Stream windows plus the model-wide windows over all streams' events.
        var expectedWindows = (Streams.Length * CountWindowRule.ExpectedCount(EventsPerStream, Size, Slide)) + CountWindowRule.ExpectedCount(Streams.Length * EventsPerStream, Size, Slide);
        await windows.WaitForAsync(expectedWindows, TimeSpan.FromSeconds(60), ct);
        var announced = windows.Messages.Select(m => WindowReady.Parser.ParseFrom(m.Value).WindowId).ToHashSet();
        await Eventually.WaitUntilAsync(() => announced.IsSubsetOf(Tested(detections)), TimeSpan.FromSeconds(90), ct);
        // Anything repeated late would show up shortly after.
        await Task.Delay(TimeSpan.FromSeconds(2), ct);

        var results = detections.Messages.Select(m => DetectionResult.Parser.ParseFrom(m.Value)).ToList();
        var raised = alerts.Messages.Select(m => Alert.Parser.ParseFrom(m.Value)).ToList();
        var tested = results.Select(d => d.WindowId).ToHashSet();
        var alerted = results.Where(d => d.Alert).Select(d => d.WindowId).ToHashSet();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{EventsPerStream * Streams.Length} events sent; {announced.Count} windows announced ({windowsAtKill} before the kill); " +
            $"{results.Count} detections received ({testedBeforeKill} before the kill), {tested.Count} distinct, {results.Count - tested.Count} duplicates; " +
            $"{raised.Count} alerts received, {raised.Select(a => a.AlertId).Distinct().Count()} distinct, for {alerted.Count} alerting windows; " +
            $"restarted Detector healthy {startedAfter.TotalSeconds:F1} s after the kill."));

        Assert.Equal(expectedWindows, announced.Count);
        Assert.Equal(announced.Order(), tested.Order());
        Assert.All(results, d => Assert.Equal(DetectionStatus.Tested, d.Status));
        foreach (var repeated in results.GroupBy(d => d.WindowId).Where(g => g.Count() > 1))
        {
            Assert.All(repeated, d => Assert.Equal("detection:" + repeated.Key, d.Header.EventId));
            Assert.Single(repeated.Select(d => d.Alert).Distinct());
        }

        // One alert id per alerting window, derived from it; every repeat carries the same id.
        Assert.All(raised, a => Assert.Equal("alert:" + a.WindowId, a.AlertId));
        Assert.Equal(alerted.Order(), raised.Select(a => a.WindowId).Distinct().Order());
        Assert.Contains(raised, a => a.Header.StreamId == "attacked");
        var log = await File.ReadAllTextAsync(pipeline.Detector.LogPath, ct);
        Assert.DoesNotContain("could not be dead-lettered", log);
    }

    private static HashSet<string> Tested(TopicReader detections) =>
        detections.Messages.Select(m => DetectionResult.Parser.ParseFrom(m.Value).WindowId).ToHashSet();
}
