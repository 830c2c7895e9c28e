using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Contracts;
using Streaming.Detection;
using Streaming.Detection.WindowTest;
using static Streaming.UnitTests.Detection.Scoring.ScoringFixtures;

namespace Streaming.UnitTests.Detection.Windows;

/// <summary>
/// The real tester (TorchSharp on the CPU, per-input scores, scan) with Detector:EventCache on and off,
/// on the windows a one-stream model produces: overlapping windows of its stream, and its model-wide
/// windows holding the same events.
/// </summary>
public sealed class ReferenceTesterReuseTests
{
    private static readonly ReferenceSet Set = Reference(300, 600, seed: 81);
    private static readonly JsonSerializerOptions Exact = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    [Fact]
    public void TestManyAndEvidence_StreamAndModelWideWindows_SameResultsWithCacheAsWithout()
    {
        using var cached = Tester(eventCache: 4096);
        using var plain = Tester(eventCache: 0);
        var windows = StreamAndModelWideWindows(cached, Events(120, seed: 82));

        var alerts = 0;
        foreach (var window in windows)
        {
            var withCache = cached.TestMany([window])[0];
            var without = plain.TestMany([window])[0];
            Assert.Equal(Json(without with { Duration = TimeSpan.Zero }), Json(withCache with { Duration = TimeSpan.Zero }));
            var evidence = cached.Evidence(window, withCache);
            Assert.Equal(Json(plain.Evidence(window, without)), Json(evidence));
            if (evidence.Decision.Alert) alerts++;
        }

        Assert.True(alerts > 0, "no window alerted: the comparison would not cover findings");
        Assert.Equal(5, cached.RecentOutcomes!.Reused);
        Assert.Equal(5, cached.RecentOutcomes.ReusedEvidence);
        Assert.Null(plain.RecentOutcomes);
        Assert.Equal(120, cached.EvidenceTimings.ComputedEvents);
        Assert.Equal(10 * 40, plain.EvidenceTimings.ComputedEvents);
    }

    [Fact]
    public async Task GatherEvidenceAsync_BesideTheTest_SameEvidenceAsComputedAfterIt()
    {
        using var gathering = Tester(eventCache: 4096);
        using var plain = Tester(eventCache: 0);
        var windows = StreamAndModelWideWindows(gathering, Events(120, seed: 84));

        // One at a time as the Detector's default, then the last four as one batch (two pairs of identical windows).
        var alerts = 0;
        foreach (var batch in windows.Take(6).Select(w => new[] { w }).Append([.. windows.Skip(6)]))
        {
            var started = gathering.GatherEvidenceAsync(batch);
            var outcomes = gathering.TestMany(batch);
            var gathered = await started;
            for (var i = 0; i < batch.Length; i++)
            {
                var evidence = gathering.Evidence(batch[i], outcomes[i], gathered[i]);
                Assert.Equal(Json(plain.Evidence(batch[i], plain.TestMany([batch[i]])[0])), Json(evidence));
                if (evidence.Decision.Alert) alerts++;
            }
        }

        Assert.True(alerts > 0, "no window alerted: the comparison would not cover findings");
        // Each model-wide window lent its stream window's evidence; nothing was gathered twice.
        Assert.Equal(5, gathering.RecentOutcomes!.ReusedEvidence);
        Assert.Equal(5, gathering.EvidenceTimings.Windows);
    }

    [Fact]
    public async Task GatherEvidenceAsync_BacklogOfDistinctWindows_ScannedAtOnceSameEvidenceAsOneByOne()
    {
        using var gathering = Tester(eventCache: 4096);
        using var plain = Tester(eventCache: 0);
        var events = Events(120, seed: 85);
        // Eight windows of eight streams over overlapping slices (the cache serves later windows some of
        // their events): none holds the same events as another, so all eight are scanned, at once.
        PreparedWindow[] batch = [.. Enumerable.Range(0, 8).Select(i => gathering.Prepare(Ready($"s{i}", 10 * i), [.. events.Skip(10 * i).Take(40)]))];

        var started = gathering.GatherEvidenceAsync(batch);
        var outcomes = gathering.TestMany(batch);
        var gathered = await started;

        Assert.All(gathered, Assert.NotNull);
        Assert.Equal(8, gathering.EvidenceTimings.Windows);
        for (var i = 0; i < batch.Length; i++)
            Assert.Equal(Json(plain.Evidence(batch[i], plain.TestMany([batch[i]])[0])), Json(gathering.Evidence(batch[i], outcomes[i], gathered[i])));
        Assert.Contains(batch.Select((w, i) => gathering.Evidence(w, outcomes[i], gathered[i])), e => e.Decision.Alert);
    }

    [Fact]
    public async Task DetectorBatch_SixteenWindowsOfAOneStreamModel_EachDistinctWindowTestedAndScannedOnce()
    {
        // Detector:MaxBatch 16 on a one-stream model: a batch holds eight stream windows, each followed by its
        // model-wide twin. The batch is gathered, tested, then each window's evidence built in order, as the
        // Detector does. Every twin takes its stream window's outcome and evidence: nothing is computed twice
        // (with a ring of recent windows smaller than the batch, a twin found its entry evicted and scanned again).
        var settings = new DetectorOptions { Device = "cpu", Permutations = 200, EventCache = 4096, MaxBatch = 16, Scan = new ScanSettings { NullWindows = 99, PrepareWindowSize = 40 } };
        using var batched = new ReferenceTester(Set, "synthetic/1/test", settings, NullLogger.Instance);
        using var plain = Tester(eventCache: 0);
        var events = Events(180, seed: 88);
        PreparedWindow[] batch = [.. Enumerable.Range(0, 8).SelectMany(k => new[]
        {
            batched.Prepare(Ready("s", 20 * k), [.. events.Skip(20 * k).Take(40)]),
            batched.Prepare(Ready(WindowScopes.ModelWideStreamId, 20 * k), [.. events.Skip(20 * k).Take(40)]),
        })];

        var started = batched.GatherEvidenceAsync(batch);
        var outcomes = batched.TestMany(batch);
        var gathered = await started;
        var evidence = batch.Select((w, i) => batched.Evidence(w, outcomes[i], gathered[i])).ToArray();

        Assert.Equal(8, batched.EvidenceTimings.Windows);
        Assert.Equal(8, batched.RecentOutcomes!.Reused);
        Assert.Equal(8, batched.RecentOutcomes.ReusedEvidence);
        for (var i = 0; i < batch.Length; i++)
            Assert.Equal(Json(plain.Evidence(batch[i], plain.TestMany([batch[i]])[0])), Json(evidence[i]));
        Assert.Contains(evidence, e => e.Decision.Alert);
    }

    [Fact]
    public async Task DetectorBatch_TwinsOfTheLastBatchBesideEightNewWindows_TwinsReuseTheLastBatchsEvidence()
    {
        // The gathering counts on the recent windows' evidence for the twins; the eight new windows tested
        // after it must not push those recent windows out before the twins' evidence is built.
        var settings = new DetectorOptions { Device = "cpu", Permutations = 200, EventCache = 4096, MaxBatch = 16, Scan = new ScanSettings { NullWindows = 99, PrepareWindowSize = 40 } };
        using var batched = new ReferenceTester(Set, "synthetic/1/test", settings, NullLogger.Instance);
        var events = Events(180, seed: 89);
        PreparedWindow Window(string stream, int k) => batched.Prepare(Ready(stream, 20 * k), [.. events.Skip(20 * k).Take(40)]);
        PreparedWindow[] first = [.. Enumerable.Range(0, 8).Select(k => Window("s", k))];
        PreparedWindow[] second = [.. Enumerable.Range(0, 8).Select(k => Window(WindowScopes.ModelWideStreamId, k)),
            .. Enumerable.Range(0, 8).Select(k => batched.Prepare(Ready($"other{k}", 0), [.. events.Skip(5 + 20 * k).Take(40)]))];

        foreach (var batch in new[] { first, second })
        {
            var started = batched.GatherEvidenceAsync(batch);
            var outcomes = batched.TestMany(batch);
            var gathered = await started;
            for (var i = 0; i < batch.Length; i++)
                batched.Evidence(batch[i], outcomes[i], gathered[i]);
        }

        Assert.Equal(16, batched.EvidenceTimings.Windows);
        Assert.Equal(8, batched.RecentOutcomes!.ReusedEvidence);
    }

    [Fact]
    public void TestMany_TwoWindowsOfOneCallSameKeysOneVectorChanged_BothTested()
    {
        using var cached = Tester(eventCache: 4096);
        var events = Events(40, seed: 90);
        var changed = events.Select(e => e.Clone()).ToList();
        changed[7].Layers[1].Values[2] += 0.5f;

        var outcomes = cached.TestMany([cached.Prepare(Ready("s", 0), events), cached.Prepare(Ready(WindowScopes.ModelWideStreamId, 0), changed)]);

        Assert.Equal(0, cached.RecentOutcomes!.Reused);
        Assert.All(outcomes, o => Assert.True(o.Duration > TimeSpan.Zero));
    }

    [Fact]
    public void TestMany_SameKeysOneVectorChanged_TestedAgain()
    {
        using var cached = Tester(eventCache: 4096);
        var events = Events(40, seed: 83);
        cached.TestMany([cached.Prepare(Ready("s", 0), events)]);
        var changed = events.Select(e => e.Clone()).ToList();
        changed[7].Layers[1].Values[2] += 0.5f;

        var outcome = cached.TestMany([cached.Prepare(Ready(WindowScopes.ModelWideStreamId, 0), changed)])[0];

        Assert.Equal(0, cached.RecentOutcomes!.Reused);
        Assert.True(outcome.Duration > TimeSpan.Zero);
    }

    [Fact]
    public void Prepare_SameEventInstancesInTwoWindows_VectorsExtractedOnceWithTheCache()
    {
        // The Detector's reader hands windows that hold the same stored event one parsed instance.
        using var cached = Tester(eventCache: 4096);
        using var plain = Tester(eventCache: 0);
        var events = Events(60, seed: 86);
        var layer = Set.Layers[1].Layer;

        var first = cached.Prepare(Ready("s", 0), [.. events.Take(40)]);
        var second = cached.Prepare(Ready("s", 20), [.. events.Skip(20).Take(40)]);
        var plainFirst = plain.Prepare(Ready("s", 0), [.. events.Take(40)]);
        var plainSecond = plain.Prepare(Ready("s", 20), [.. events.Skip(20).Take(40)]);

        Assert.Same(first.Layers[layer][25], second.Layers[layer][5]);
        Assert.NotSame(plainFirst.Layers[layer][25], plainSecond.Layers[layer][5]);
        Assert.Equal(plainSecond.Layers[layer][5], second.Layers[layer][5]);
    }

    [Fact]
    public void Prepare_EventOfAnotherVersionAfterAFallbackWindow_StillDroppedWithoutTheFallback()
    {
        // The registry's version fallback accepts an event of another model version; the vectors it extracted
        // must not let the same instance pass the strict check of a later window.
        using var cached = Tester(eventCache: 4096);
        var events = Events(40, seed: 87);
        events[3].Header.ModelVersion = "other";

        var strict = cached.Prepare(Ready("s", 0), events);
        var fallback = cached.Prepare(Ready("s", 0), events, fallback: true);
        var strictAgain = cached.Prepare(Ready("s", 0), events);

        Assert.Equal("model_version", Assert.Single(strict.Dropped).Problem.Kind);
        Assert.Empty(fallback.Dropped);
        Assert.Equal("model_version", Assert.Single(strictAgain.Dropped).Problem.Kind);
    }

    private static ReferenceTester Tester(int eventCache) => new(Set, "synthetic/1/test", new DetectorOptions
    {
        Device = "cpu",
        Permutations = 200,
        EventCache = eventCache,
        Scan = new ScanSettings { NullWindows = 99, PrepareWindowSize = 40 },
    }, NullLogger.Instance);

    /// <summary>A one-stream model's windows (40, slide 20): each stream window, then its model-wide window holding the same events.</summary>
    private static List<PreparedWindow> StreamAndModelWideWindows(ReferenceTester tester, List<ActivationEvent> events)
    {
        var windows = new List<PreparedWindow>();
        foreach (var start in new[] { 0, 20, 40, 60, 80 })
        {
            var slice = events.Skip(start).Take(40).ToList();
            windows.Add(tester.Prepare(Ready("s", start), slice));
            windows.Add(tester.Prepare(Ready(WindowScopes.ModelWideStreamId, start), slice));
        }
        return windows;
    }

    private static WindowReady Ready(string stream, int start) => new()
    {
        Header = new EventHeader { EventId = $"w{start}", Model = Set.Model, ModelVersion = Set.ModelVersion, StreamId = stream },
        WindowId = $"{Set.Model}/{stream}/{start}",
    };

    /// <summary>One stream's events; events 60-79 shifted far out, so windows over them alert.</summary>
    private static List<ActivationEvent> Events(int count, int seed)
    {
        var (clean, labels) = Source(count, seed);
        var (shifted, _) = Source(count, seed + 1, shift: 3f);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var source = i is >= 60 and < 80 ? shifted : clean;
            var activation = new ActivationEvent
            {
                Header = new EventHeader { EventId = $"e{i}", Model = Set.Model, ModelVersion = Set.ModelVersion, StreamId = "s" },
                PredictedClass = labels[i],
                Confidence = 0.9f,
            };
            foreach (var (layer, l) in Set.Layers.Select((layer, l) => (layer, l)))
                activation.Layers.Add(new LayerActivation { Layer = layer.Layer, Values = { source[l][i] } });
            return activation;
        })];
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, Exact);
}
