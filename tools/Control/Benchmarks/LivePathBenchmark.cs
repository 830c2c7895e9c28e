using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Contracts;
using Streaming.Detection;
using Streaming.Detection.Decision;
using Streaming.Detection.Scoring;
using Streaming.Detection.WindowTest;
using Streaming.WindowStore;

namespace Streaming.Control.Benchmarks;

/// <summary>
/// The Detector's work per window as the live image path asks for it: clean events of the reference's
/// calibration split, interleaved over several streams, each in the overlapping windows of its stream
/// (size / slide) and of its model's window, in the order the windows close. Every window is read
/// from its serialised events, prepared, MMD-tested, given its evidence (per-input scores, scan) and
/// encoded, by two <see cref="ReferenceTester"/>s interleaved window by window: one computing every
/// event in every window (the path before the per-event caches) and one with the caches. Prints the
/// milliseconds per window of every family for both, their ratio, and whether every decision,
/// p-value and finding is identical. With compareNull: permutations against the precomputed null
/// instead, both with the caches.
/// </summary>
internal static class LivePathBenchmark
{
    private static readonly JsonSerializerOptions Exact = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <param name="compareNull">
    /// Instead of cache off vs on: both testers with the per-event caches, one with permutations and one
    /// against the precomputed null, interleaved the same way; prints the windows/s of each and their ratio.
    /// </param>
    public static void Run(TextWriter output, ReferenceSet reference, int windowCount, int streams, int size, int slide, bool precomputed, int batch, bool compareNull = false)
    {
        var calibration = reference.RequireCalibration();
        DetectorOptions Settings(int cache, bool precomputedNull) => new()
        {
            Device = "cpu",
            EventCache = cache,
            Mmd = new MmdSettings { Null = precomputedNull ? MmdNullMode.Precomputed : MmdNullMode.Permutation, PrepareWindowSize = size },
            Scan = new ScanSettings { PrepareWindowSize = size },
        };
        var cacheSize = new DetectorOptions().EventCache;
        var windows = Windows(reference, calibration, windowCount, streams, size, slide);
        var nulls = compareNull ? "permutations vs precomputed, per-event caches on" : precomputed ? "precomputed" : "permutations";
        output.WriteLine(FormattableString.Invariant(
            $"live path: {windows.Count} windows of {size} / slide {slide} over {streams} streams plus the model-wide window, {windows.Sum(w => w.Events.Count)} event reads of {windows.SelectMany(w => w.Events).Distinct().Count()} events; MMD null {nulls}, {batch} window(s) per TestMany"));
        var before = new LiveTimes();
        var after = new LiveTimes();
        using var off = compareNull
            ? new ReferenceTester(reference, "bench/permutations", Settings(cacheSize, precomputedNull: false), NullLogger.Instance)
            : new ReferenceTester(reference, "bench/off", Settings(0, precomputed), NullLogger.Instance);
        using var on = compareNull
            ? new ReferenceTester(reference, "bench/precomputed", Settings(cacheSize, precomputedNull: true), NullLogger.Instance)
            : new ReferenceTester(reference, "bench/on", Settings(cacheSize, precomputed), NullLogger.Instance);
        // As the Detector reads windows: with the per-event caches, each stored event parsed once (its reader's ParsedEventCache).
        var offParsed = compareNull ? new ParsedEventCache(cacheSize) : null;
        var onParsed = new ParsedEventCache(cacheSize);
        // Untimed: the first window through a tester pays one-off costs (native kernels, JIT), which
        // would land on whichever tester goes first. Other streams, so no event of it is measured later.
        foreach (var warmUp in Windows(reference, calibration, 2, 1, size, slide, prefix: "warm", seed: 12))
        {
            Process(off, [warmUp], new LiveTimes(), offParsed);
            Process(on, [warmUp], new LiveTimes(), onParsed);
        }
        var differing = 0;
        var sameMmdDecision = 0;
        for (var start = 0; start < windows.Count; start += batch)
        {
            var chunk = windows.Skip(start).Take(batch).ToList();
            var (aOutcomes, a) = Process(off, chunk, before, offParsed);
            var (bOutcomes, b) = Process(on, chunk, after, onParsed);
            for (var i = 0; i < chunk.Count; i++)
            {
                if (JsonSerializer.Serialize(a[i], Exact) != JsonSerializer.Serialize(b[i], Exact))
                    differing++;
                if (aOutcomes[i].Alert == bOutcomes[i].Alert)
                    sameMmdDecision++;
            }
        }

        var (x, y) = compareNull ? ("permutations", "precomputed") : ("no cache", "cache");
        output.WriteLine($"{"ms per window",-34} {x,12} {y,12} {"ratio",7}");
        foreach (var (name, p, q) in before.Rows(after))
            output.WriteLine(FormattableString.Invariant($"{name,-34} {p / windows.Count,12:F3} {q / windows.Count,12:F3} {(q > 0 ? p / q : double.NaN),7:F2}"));
        var cache = on.EventCache!;
        output.WriteLine(FormattableString.Invariant(
            $"events computed / reused: {x} {off.EvidenceTimings.ComputedEvents} / {off.EvidenceTimings.ReusedEvents}, {y} {on.EvidenceTimings.ComputedEvents} / {on.EvidenceTimings.ReusedEvents} (capacity {cache.Capacity}, held {cache.Count}, hits {cache.Hits}, misses {cache.Misses}); windows answered from an identical recent window: {on.RecentOutcomes!.Reused} MMD outcomes, {on.RecentOutcomes.ReusedEvidence} evidence"));
        if (on.CrossSums is { } sums)
            output.WriteLine(FormattableString.Invariant(
                $"cross-kernel sums against the precomputed null ({y}): capacity {sums.Capacity}, held {sums.Count}, event reads computed {sums.Misses}, reused {sums.Hits}"));
        string Kilobytes(int phase) => FormattableString.Invariant($"{before.Allocated[phase] / 1024.0 / windows.Count:F0} / {after.Allocated[phase] / 1024.0 / windows.Count:F0}");
        output.WriteLine(
            $"KB allocated per window ({x} / {y}): deserialise {Kilobytes(0)}, prepare {Kilobytes(1)}, MMD test {Kilobytes(2)}, evidence {Kilobytes(3)}, encode {Kilobytes(4)}");
        output.WriteLine(FormattableString.Invariant(
            $"MMD test windows/s: {x} {windows.Count / before.Mmd.TotalSeconds:F1}, {y} {windows.Count / after.Mmd.TotalSeconds:F1}, ratio {(after.Mmd > TimeSpan.Zero ? before.Mmd / after.Mmd : double.NaN):F2}x"));
        output.WriteLine(FormattableString.Invariant(
            $"windows/s: {x} {windows.Count / before.Total.TotalSeconds:F1}, {y} {windows.Count / after.Total.TotalSeconds:F1}, ratio {before.Total / after.Total:F2}x"));
        if (compareNull)
        {
            output.WriteLine($"same MMD decision in {sameMmdDecision} of {windows.Count} windows; evidence identical in {windows.Count - differing} (the nulls differ, so p-values do)");
            return;
        }
        output.WriteLine($"evidence (decision, p-values, scan, findings) identical in {windows.Count - differing} of {windows.Count} windows");
        if (differing > 0)
            throw new InvalidOperationException($"{differing} windows got other evidence with the cache than without: the cache is wrong.");
    }

    /// <summary>One chunk of windows through a tester, timed phase by phase; returns each window's MMD outcome and evidence.</summary>
    private static (IReadOnlyList<WindowTestOutcome> Outcomes, WindowEvidence[] Evidence) Process(ReferenceTester tester, List<BenchWindow> chunk, LiveTimes times, ParsedEventCache? parsedEvents)
    {
        var timings = tester.EvidenceTimings;
        var (scoring, levels, search) = (timings.Scoring, timings.ScanLevels, timings.ScanSearch);
        var a0 = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var events = chunk.Select(w => (IReadOnlyList<ActivationEvent>)[.. w.Events.Select(e => parsedEvents?.Parse(e.Key, e.Bytes) ?? ActivationEvent.Parser.ParseFrom(e.Bytes))]).ToList();
        var parsed = Stopwatch.GetTimestamp();
        var a1 = GC.GetTotalAllocatedBytes(precise: true);
        var prepared = chunk.Select((w, i) => tester.Prepare(w.Ready, events[i])).ToList();
        var ready = Stopwatch.GetTimestamp();
        var a2 = GC.GetTotalAllocatedBytes(precise: true);
        var outcomes = tester.TestMany(prepared);
        var tested = Stopwatch.GetTimestamp();
        var a3 = GC.GetTotalAllocatedBytes(precise: true);
        var evidence = prepared.Select((p, i) => tester.Evidence(p, outcomes[i])).ToArray();
        var built = Stopwatch.GetTimestamp();
        var a4 = GC.GetTotalAllocatedBytes(precise: true);
        var settings = new DetectorOptions();
        var bytes = 0;
        for (var i = 0; i < prepared.Count; i++)
        {
            bytes += DetectionMessages.Detection(prepared[i], outcomes[i], settings, DateTimeOffset.UnixEpoch, evidence[i]).ToByteArray().Length;
            if (evidence[i].Decision.Alert)
                bytes += DetectionMessages.Alert(prepared[i], outcomes[i], settings, DateTimeOffset.UnixEpoch, evidence[i]).ToByteArray().Length;
        }
        var encoded = Stopwatch.GetTimestamp();
        var a5 = GC.GetTotalAllocatedBytes(precise: true);
        times.Allocated[0] += a1 - a0;
        times.Allocated[1] += a2 - a1;
        times.Allocated[2] += a3 - a2;
        times.Allocated[3] += a4 - a3;
        times.Allocated[4] += a5 - a4;
        times.Parse += Stopwatch.GetElapsedTime(started, parsed);
        times.Prepare += Stopwatch.GetElapsedTime(parsed, ready);
        times.Mmd += Stopwatch.GetElapsedTime(ready, tested);
        times.Scoring += timings.Scoring - scoring;
        times.Levels += timings.ScanLevels - levels;
        times.Search += timings.ScanSearch - search;
        times.Evidence += Stopwatch.GetElapsedTime(tested, built);
        times.Encode += Stopwatch.GetElapsedTime(built, encoded);
        GC.KeepAlive(bytes);
        return (outcomes, evidence);
    }

    /// <summary>
    /// Events round-robin over the streams; every stream's windows [k·slide, k·slide + size) of its own
    /// events and the model's windows of the same shape over all events, ordered by the position of
    /// their last event (when they close), until <paramref name="count"/> windows.
    /// </summary>
    /// <param name="prefix">Of the stream ids (and so of the events' keys).</param>
    private static List<BenchWindow> Windows(ReferenceSet reference, CalibrationSplit calibration, int count, int streams, int size, int slide, string prefix = "s", int seed = 11)
    {
        var random = new Random(seed);
        var all = new List<StoredEvent>();
        var perStream = new List<StoredEvent>[streams];
        for (var s = 0; s < streams; s++) perStream[s] = [];
        var closing = new List<(int Position, BenchWindow Window)>();
        for (var position = 0; closing.Count < count; position++)
        {
            var stream = position % streams;
            var stored = new StoredEvent($"{prefix}{stream}:{perStream[stream].Count}", Event(reference, calibration, random.Next(calibration.Count), $"{prefix}{stream}", perStream[stream].Count).ToByteArray());
            perStream[stream].Add(stored);
            all.Add(stored);
            if (perStream[stream].Count >= size && (perStream[stream].Count - size) % slide == 0)
                closing.Add((position, Window(reference, $"{prefix}{stream}", perStream[stream].Count, [.. perStream[stream].Skip(perStream[stream].Count - size)])));
            if (all.Count >= size && (all.Count - size) % slide == 0)
                closing.Add((position, Window(reference, WindowScopes.ModelWideStreamId, all.Count, [.. all.Skip(all.Count - size)])));
        }
        return [.. closing.OrderBy(c => c.Position).Take(count).Select(c => c.Window)];
    }

    private static BenchWindow Window(ReferenceSet reference, string stream, int end, IReadOnlyList<StoredEvent> events) => new(
        new WindowReady
        {
            Header = new EventHeader { SchemaVersion = SchemaVersions.Current, EventId = $"w-{stream}-{end}", Model = reference.Model, ModelVersion = reference.ModelVersion, StreamId = stream },
            WindowId = $"{reference.Model}/{stream}/{end}",
            WindowKey = $"bench:{stream}:{end}",
        },
        events);

    private static ActivationEvent Event(ReferenceSet reference, CalibrationSplit calibration, int row, string stream, int index)
    {
        var activation = new ActivationEvent
        {
            Header = new EventHeader
            {
                SchemaVersion = SchemaVersions.Current,
                EventId = $"e-{index:D7}",
                Model = reference.Model,
                ModelVersion = reference.ModelVersion,
                StreamId = stream,
                Timestamp = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddMilliseconds(index)),
            },
            PredictedClass = calibration.Labels[row],
            Confidence = 0.9f,
        };
        for (var l = 0; l < reference.Layers.Count; l++)
        {
            var dimension = reference.Layers[l].Dimension;
            var layer = new LayerActivation { Layer = reference.Layers[l].Layer };
            layer.Values.Add(calibration.Vectors[l].AsSpan(row * dimension, dimension).ToArray());
            activation.Layers.Add(layer);
        }
        return activation;
    }

    private sealed record BenchWindow(WindowReady Ready, IReadOnlyList<StoredEvent> Events);

    /// <summary>An event as the window store holds it: its key and bytes.</summary>
    private sealed record StoredEvent(string Key, byte[] Bytes);

    private sealed class LiveTimes
    {
        public TimeSpan Parse, Prepare, Mmd, Scoring, Levels, Search, Evidence, Encode;

        /// <summary>Bytes allocated (every thread) while deserialising, preparing, testing, building evidence and encoding.</summary>
        public readonly long[] Allocated = new long[5];

        public TimeSpan Total => Parse + Prepare + Mmd + Evidence + Encode;

        public IEnumerable<(string Name, double Before, double After)> Rows(LiveTimes after)
        {
            yield return ("deserialise events", Parse.TotalMilliseconds, after.Parse.TotalMilliseconds);
            yield return ("prepare (fit check, matrices)", Prepare.TotalMilliseconds, after.Prepare.TotalMilliseconds);
            yield return ("MMD test (TestMany)", Mmd.TotalMilliseconds, after.Mmd.TotalMilliseconds);
            yield return ("evidence, all", Evidence.TotalMilliseconds, after.Evidence.TotalMilliseconds);
            yield return ("  per-input scores", Scoring.TotalMilliseconds, after.Scoring.TotalMilliseconds);
            yield return ("  scan per-node levels", Levels.TotalMilliseconds, after.Levels.TotalMilliseconds);
            yield return ("  scan search (LTSS ascent)", Search.TotalMilliseconds, after.Search.TotalMilliseconds);
            var rest = (Evidence - Scoring - Levels - Search).TotalMilliseconds;
            yield return ("  rest (cache, decision, findings)", rest, (after.Evidence - after.Scoring - after.Levels - after.Search).TotalMilliseconds);
            yield return ("encode detection (+ alert)", Encode.TotalMilliseconds, after.Encode.TotalMilliseconds);
            yield return ("total", Total.TotalMilliseconds, after.Total.TotalMilliseconds);
        }
    }
}
