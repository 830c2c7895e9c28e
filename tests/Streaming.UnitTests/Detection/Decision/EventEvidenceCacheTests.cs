using System.Text.Json;
using Streaming.Detection;
using Streaming.Detection.Decision;
using Streaming.Detection.Scanning;
using Streaming.Detection.Scoring;
using static Streaming.UnitTests.Detection.Scoring.ScoringFixtures;

namespace Streaming.UnitTests.Detection.Decision;

public sealed class EventEvidenceCacheTests
{
    private const double Alpha = 0.05;

    // Shared by every test: building the scorer and the scan's null is the slow part.
    private static readonly ReferenceSet Set = Reference(500, 1000, seed: 71);
    private static readonly PerInputScorer Scorer = new(Set);
    private static readonly WindowScanner Scanner = WindowScanner.Create(Set, nullOptions: new ScanNullOptions { Windows = 200 })!;

    [Fact]
    public void Build_OverlappingWindowsOfStreamsAndModel_SameEvidenceWithCacheAsWithout()
    {
        // Two streams of 200 events (every third of stream 1 shifted, so alerts, scans and findings
        // are not trivial), windows of 40 sliding by 20 per stream and over both streams together.
        var events = Stream(400, seed: 72);
        var windows = new List<int[]>();
        for (var stream = 0; stream < 2; stream++)
        {
            int[] own = [.. Enumerable.Range(0, events.Count).Where(i => i % 2 == stream)];
            for (var start = 0; start + 40 <= own.Length; start += 20) windows.Add(own[start..(start + 40)]);
        }
        for (var start = 0; start + 40 <= events.Count; start += 20) windows.Add([.. Enumerable.Range(start, 40)]);
        var plain = new WindowEvidenceBuilder(Scorer, Alpha, Scanner);
        var cached = new WindowEvidenceBuilder(Scorer, Alpha, Scanner, new EventEvidenceCache(1000));

        var alerts = 0;
        foreach (var window in windows)
        {
            var outcome = Outcome(0.5);
            var expected = Build(plain, outcome, events, window, keyed: false);
            var actual = Build(cached, outcome, events, window, keyed: true);
            Assert.Equal(Json(expected), Json(actual));
            if (actual.Decision.Alert) alerts++;
        }

        Assert.True(alerts > 0, "no window alerted: the comparison would not cover findings");
        Assert.Equal(400, cached.Timings.ComputedEvents);
        Assert.Equal(windows.Count * 40 - 400, cached.Timings.ReusedEvents);
        Assert.Equal(windows.Count * 40, plain.Timings.ComputedEvents);
    }

    [Fact]
    public void Build_SameKeyOtherVectorsOrClass_ComputedAgainNotReused()
    {
        var events = Stream(20, seed: 73);
        var cached = new WindowEvidenceBuilder(Scorer, Alpha, Scanner, new EventEvidenceCache(100));
        var plain = new WindowEvidenceBuilder(Scorer, Alpha, Scanner);
        int[] all = [.. Enumerable.Range(0, 20)];
        Build(cached, Outcome(0.5), events, all, keyed: true);

        // The same keys with other inputs: event 0 one component changed, event 1 another class.
        var changed = Stream(20, seed: 73);
        changed[0] = changed[0] with { Vectors = [.. changed[0].Vectors.Select(v => (float[])v.Clone())] };
        changed[0].Vectors[0][0] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(changed[0].Vectors[0][0]) + 1);
        changed[1] = changed[1] with { Class = 1 - changed[1].Class };
        var actual = Build(cached, Outcome(0.5), changed, all, keyed: true);

        Assert.Equal(Json(Build(plain, Outcome(0.5), changed, all, keyed: false)), Json(actual));
        Assert.Equal(22, cached.Timings.ComputedEvents);
        Assert.Equal(18, cached.Timings.ReusedEvents);
    }

    [Fact]
    public void Build_MoreEventsThanCapacity_HoldsAtMostCapacityAndTheMostRecent()
    {
        var events = Stream(120, seed: 74);
        var cache = new EventEvidenceCache(50);
        var builder = new WindowEvidenceBuilder(Scorer, Alpha, Scanner, cache);
        for (var start = 0; start < 120; start += 30)
        {
            Build(builder, Outcome(0.5), events, [.. Enumerable.Range(start, 30)], keyed: true);
            Assert.True(cache.Count <= 50, $"{cache.Count} events held");
        }
        Assert.Equal(50, cache.Count);

        // The last 50 events are held; the oldest were evicted and are computed again.
        var reusedBefore = builder.Timings.ReusedEvents;
        Build(builder, Outcome(0.5), events, [.. Enumerable.Range(70, 50)], keyed: true);
        Assert.Equal(50, builder.Timings.ReusedEvents - reusedBefore);
        Build(builder, Outcome(0.5), events, [.. Enumerable.Range(0, 10)], keyed: true);
        Assert.Equal(120 + 10, builder.Timings.ComputedEvents);
        Assert.Equal(50, cache.Count);
    }

    [Fact]
    public void Build_WindowOfOneEventThenOfMany_ScanRowsComputedWhenFirstNeeded()
    {
        var events = Stream(10, seed: 75);
        var cached = new WindowEvidenceBuilder(Scorer, Alpha, Scanner, new EventEvidenceCache(100));
        var plain = new WindowEvidenceBuilder(Scorer, Alpha, Scanner);
        Build(cached, Outcome(0.5), events, [0], keyed: true);   // one event: no scan, no row

        var actual = Build(cached, Outcome(0.5), events, [.. Enumerable.Range(0, 10)], keyed: true);

        Assert.NotNull(actual.Scan);
        Assert.Equal(Json(Build(plain, Outcome(0.5), events, [.. Enumerable.Range(0, 10)], keyed: false)), Json(actual));
    }

    private sealed record Event(EventKey Key, float[][] Vectors, int Class);

    /// <summary>Events alternating over streams "a" and "b"; every sixth is shifted far out.</summary>
    private static List<Event> Stream(int count, int seed)
    {
        var (clean, labels) = Source(count, seed);
        var (shifted, _) = Source(count, seed + 1, shift: 3f);
        return [.. Enumerable.Range(0, count).Select(i =>
            new Event(new EventKey(i % 2 == 0 ? "a" : "b", $"e{i / 2}"), Input(i % 6 == 5 ? shifted : clean, i), labels[i]))];
    }

    private static WindowEvidence Build(WindowEvidenceBuilder builder, WindowTestOutcome outcome, List<Event> events, int[] window, bool keyed) =>
        builder.Build(
            outcome,
            [.. Enumerable.Range(0, events[0].Vectors.Length).Select(l => window.Select(i => events[i].Vectors[l]).ToArray())],
            [.. window.Select(i => (int?)events[i].Class)],
            keyed ? [.. window.Select(i => (EventKey?)events[i].Key)] : null);

    private static string Json(WindowEvidence evidence) =>
        JsonSerializer.Serialize(evidence, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });

    private static WindowTestOutcome Outcome(double p) =>
        new([new LayerTestOutcome("input", 0.01, p, p < Alpha)], CorrectionMethod.Bonferroni, Alpha, p, p < Alpha, [], TimeSpan.Zero);
}
