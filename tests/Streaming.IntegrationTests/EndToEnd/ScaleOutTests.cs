using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Streaming.Contracts;
using Streaming.IntegrationTests.Alerting;
using Streaming.WindowStore;
using Xunit.Abstractions;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// Scale-out with real processes: two instances each of Windowing, the Detector and Alerting in
/// their consumer groups; one of each is killed with SIGKILL while events stream in, and restarted.
/// Every window is still cut exactly once (whole, the expected number, stream and model-wide windows
/// built by both Windowing instances into the same Redis), every window is tested, every alert
/// reaches the webhook, repeats carry the same ids, and the restarted instances get partitions back.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed partial class ScaleOutTests(ITestOutputHelper output)
{
    private const int Size = 20;
    private const int EventsPerStream = 200;
    private const int EventsPerSecondPerStream = 20;
    private static readonly (string Stream, float Shift)[] Streams =
        [("attacked-a", 1.0f), ("attacked-b", 1.0f), ("attacked-c", 1.0f), ("clean-a", 0f), ("clean-b", 0f), ("clean-c", 0f)];

    [Fact]
    public async Task TwoOfEach_OneOfEachKilledMidStreamAndRestarted_EveryWindowTestedAndEveryAlertDelivered()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = cts.Token;
        var size = Size.ToString(CultureInfo.InvariantCulture);
        await using var pipeline = await ServicePipeline.StartAsync(nameof(ScaleOutTests), new Dictionary<string, string>
        {
            ["WindowStore__Size"] = size,
            ["WindowStore__Slide"] = size,
            ["WindowStore__ModelWide__Size"] = size,
            ["WindowStore__ModelWide__Slide"] = size,
        }, ct, instances: 2, alerting: true);
        using var windows = new TopicReader(pipeline.Options, Topics.Windows);
        using var detections = new TopicReader(pipeline.Options, Topics.Detections);
        using var alerts = new TopicReader(pipeline.Options, Topics.Alerts);

        // Events arrive over ~10 s; the kills land while windows are being cut, tested and alerted.
        var traffic = Task.Run(() => pipeline.ProduceSteadilyAsync(Streams, EventsPerStream, EventsPerSecondPerStream, seed: 17, ct), ct);
        await detections.WaitForAsync(20, TimeSpan.FromSeconds(90), ct);
        foreach (var service in pipeline.Services)
            pipeline.Kill(service, 0);
        var restarted = new List<Streaming.LocalStack.Processes.ServiceProcess>();
        foreach (var service in pipeline.Services)
            restarted.Add(await pipeline.RestartAsync(service, 0, ct));
        await traffic;

        var expectedWindows = (Streams.Length * CountWindowRule.ExpectedCount(EventsPerStream, Size, Size))
            + CountWindowRule.ExpectedCount(Streams.Length * EventsPerStream, Size, Size);
        await windows.WaitForAsync(expectedWindows, TimeSpan.FromSeconds(90), ct);
        var announced = windows.Messages.Select(m => WindowReady.Parser.ParseFrom(m.Value)).ToList();
        var announcedIds = announced.Select(w => w.WindowId).ToHashSet();
        await Eventually.WaitUntilAsync(() => announcedIds.IsSubsetOf(Ids(detections)), TimeSpan.FromSeconds(120), ct);
        await Eventually.WaitUntilAsync(() => RaisedIds(alerts).IsSubsetOf(DeliveredIds(pipeline)), TimeSpan.FromSeconds(90), ct);
        // Anything repeated late would show up shortly after.
        await Task.Delay(TimeSpan.FromSeconds(2), ct);

        var results = detections.Messages.Select(m => DetectionResult.Parser.ParseFrom(m.Value)).ToList();
        var raised = alerts.Messages.Select(m => Alert.Parser.ParseFrom(m.Value)).ToList();
        var delivered = DeliveredIds(pipeline);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Streams.Length * EventsPerStream} events; {announced.Count} windows announced ({announcedIds.Count} distinct, {expectedWindows} expected); " +
            $"{results.Count} detections ({results.Select(d => d.WindowId).Distinct().Count()} distinct); " +
            $"{raised.Count} alerts ({raised.Select(a => a.AlertId).Distinct().Count()} distinct); {pipeline.Receiver.Accepted.Count} webhooks ({delivered.Count} distinct)."));

        // Cut exactly once: the expected number of distinct windows, each whole.
        Assert.Equal(expectedWindows, announcedIds.Count);
        Assert.All(announced, w => Assert.Equal((uint)Size, w.Size));
        Assert.All(announced.GroupBy(w => w.WindowId), g => Assert.Single(g.Select(w => w.WindowKey).Distinct()));
        // Every window tested; a repeated test carries the window's id and the same decision.
        Assert.Equal(announcedIds.Order(), results.Select(d => d.WindowId).Distinct().Order());
        foreach (var repeated in results.GroupBy(d => d.WindowId).Where(g => g.Count() > 1))
            Assert.Single(repeated.Select(d => d.Alert).Distinct());
        // Every alert delivered; an alert's id derives from its window, so a repeat has the same id.
        Assert.All(raised, a => Assert.Equal("alert:" + a.WindowId, a.AlertId));
        Assert.Equal(results.Where(d => d.Alert).Select(d => d.WindowId).Distinct().Order(), raised.Select(a => a.WindowId).Distinct().Order());
        Assert.Subset(delivered, RaisedIds(alerts));
        Assert.Subset(RaisedIds(alerts), delivered);
        // The attacked streams (shift 1.0) alert nearly every window.
        var attackedWindows = announced.Where(w => w.Header.StreamId.StartsWith("attacked", StringComparison.Ordinal)).Select(w => w.WindowId).ToHashSet();
        var attackedAlerts = raised.Select(a => a.WindowId).Where(attackedWindows.Contains).Distinct().Count();
        Assert.True(attackedAlerts >= attackedWindows.Count - 2, $"{attackedAlerts} of {attackedWindows.Count} attacked windows alerted");

        // The restarted instances take partitions back from their surviving twins (a cooperative
        // rebalance: it can come some seconds after the instance is healthy).
        foreach (var instance in restarted)
        {
            var assigned = await Eventually.WaitUntilAsync(() => AssignedPartitions().IsMatch(File.ReadAllText(instance.LogPath)), TimeSpan.FromSeconds(60), ct);
            Assert.True(assigned, $"{instance.Name} was never assigned a partition; see {instance.LogPath}");
        }
    }

    private static HashSet<string> Ids(TopicReader detections) =>
        detections.Messages.Select(m => DetectionResult.Parser.ParseFrom(m.Value).WindowId).ToHashSet();

    private static HashSet<string> RaisedIds(TopicReader alerts) =>
        alerts.Messages.Select(m => Alert.Parser.ParseFrom(m.Value).AlertId).ToHashSet();

    private static HashSet<string> DeliveredIds(ServicePipeline pipeline) =>
        pipeline.Receiver.Accepted.Select(w => JsonDocument.Parse(w.Body).RootElement.GetProperty("alertId").GetString()!).ToHashSet();

    [GeneratedRegex(@"partitions assigned \[\d")]
    private static partial Regex AssignedPartitions();
}
