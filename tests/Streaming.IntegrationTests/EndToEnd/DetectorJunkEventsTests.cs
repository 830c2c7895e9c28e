using Streaming.Contracts;
using Streaming.Detection.WindowTest;
using Streaming.Detector;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// Windowing and the Detector as real processes on embedded Kafka and a real redis-server: junk
/// events in a stream (a layer the reference lacks, a layer one value short) cost themselves, not
/// their windows. Each is dead-lettered on its own with the event and window named, and the rest of
/// every window is tested: the attacked stream still alerts, the clean one does not.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class DetectorJunkEventsTests
{
    private const int Size = 50;
    private const int EventsPerStream = 100;
    private static readonly int[] JunkAt = [20, 70];

    [Fact]
    public async Task WindowsWithJunkEvents_AreTestedWithoutThem_AndEachJunkEventIsDeadLetteredAlone()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var pipeline = await ServicePipeline.StartAsync(nameof(DetectorJunkEventsTests), new Dictionary<string, string>
        {
            ["WindowStore__Size"] = Size.ToString(),
            ["WindowStore__Slide"] = Size.ToString(),
            // Stream windows only: the junk events would be dropped (and dead-lettered) from the model-wide windows too; ModelWideWindowsTests covers those.
            ["WindowStore__ModelWide__Enabled"] = "false",
        }, ct);
        using var detections = new TopicReader(pipeline.Options, Topics.Detections);
        using var alerts = new TopicReader(pipeline.Options, Topics.Alerts);
        using var deadLetters = new TopicReader(pipeline.Options, Topics.DeadLetterOf(Topics.Windows));
        var random = new Random(3);
        var activations = new List<ActivationEvent>();
        for (var i = 0; i < EventsPerStream; i++)
        {
            foreach (var (stream, shift) in new[] { ("attacked", 0.5f), ("clean", 0f) })
            {
                var activation = SyntheticActivations.Create("synthetic", stream, i, random, shift);
                if (i == JunkAt[0]) activation.Layers[0].Values.RemoveAt(7);      // fc1 with 7 values, the reference has 8
                if (i == JunkAt[1]) activation.Layers[0].Layer = "fc9";           // a layer the reference does not have
                activations.Add(activation);
            }
        }

        pipeline.Produce(activations);

        await detections.WaitForAsync(4, TimeSpan.FromSeconds(120), ct);
        await deadLetters.WaitForAsync(4, TimeSpan.FromSeconds(10), ct);
        // An alert is produced after its detection, so the second may still be on its way.
        await alerts.WaitForAsync(2, TimeSpan.FromSeconds(10), ct);

        var results = detections.Messages.Select(m => DetectionResult.Parser.ParseFrom(m.Value)).GroupBy(d => d.WindowId).Select(g => g.First()).ToList();
        Assert.Equal(4, results.Count);
        Assert.All(results, d =>
        {
            Assert.Equal(DetectionStatus.Tested, d.Status);
            Assert.Equal(1u, d.DroppedEvents);
            Assert.Equal((uint)Size, d.WindowSize);
            Assert.Single(d.DroppedEventIds);
        });
        Assert.All(results.Where(d => d.Header.StreamId == "attacked"), d => Assert.True(d.Alert, $"{d.WindowId}: p = {d.CombinedPValue}"));
        Assert.All(results.Where(d => d.Header.StreamId == "clean"), d => Assert.False(d.Alert, $"{d.WindowId}: p = {d.CombinedPValue}"));
        var raised = alerts.Messages.Select(m => Alert.Parser.ParseFrom(m.Value)).ToList();
        Assert.Equal(2, raised.Select(a => a.AlertId).Distinct().Count());
        Assert.All(raised, a => Assert.Equal("attacked", a.Header.StreamId));
        Assert.All(raised, a => Assert.Equal(1u, a.DroppedEvents));

        var letters = deadLetters.Messages.Select(m => DeadLetter.Parser.ParseFrom(m.Value)).ToList();
        Assert.Equal(4, letters.Count);
        foreach (var letter in letters)
        {
            var junk = ActivationEvent.Parser.ParseFrom(letter.Payload);
            var window = results.Single(d => d.DroppedEventIds[0] == junk.Header.EventId);
            Assert.Equal("detector", letter.Service);
            Assert.Equal(Topics.Windows, letter.SourceTopic);
            Assert.True(letter.Part);
            Assert.Contains($"Event {junk.Header.EventId} dropped from window {window.WindowId}", letter.Reason);
            Assert.Contains(junk.Header.EventId.EndsWith(JunkAt[0].ToString("D6"), StringComparison.Ordinal)
                ? "layer 'fc1' has 7 values, but the reference expects 8"
                : "no activations for layer 'fc1'", letter.Reason);
        }
    }
}
