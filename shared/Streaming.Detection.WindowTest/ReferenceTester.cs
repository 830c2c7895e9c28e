using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Detection.Compute;
using Streaming.Detection.Decision;
using Streaming.Detection.Scanning;
using Streaming.Detection.Scoring;
using Streaming.Messaging;
using TorchSharp;

namespace Streaming.Detection.WindowTest;

/// <summary>
/// One reference, uploaded once to the compute device (cuda when available and allowed), with what
/// its tests need (precomputed null, per-input scorer, subset scan): checks a window's events against
/// it and turns those that fit into per-layer matrices for the test. One test at a time: the device
/// is shared and a test already uses every core. <see cref="WindowTestRunner"/> serves one of these
/// from a file; the Detector's registry mode one per active reference.
/// </summary>
public sealed partial class ReferenceTester : IDisposable
{
    private readonly WindowTester _tester;
    private readonly WindowTesterOptions _options;
    private readonly Lock _gate = new();
    private readonly Lock _evidenceGate = new();
    private readonly WindowEvidenceBuilder _evidence;
    private readonly RecentWindowOutcomes? _recent;
    // Windows that hold the same stored event share its parsed instance (the reader's ParsedEventCache): its
    // vectors for this reference are extracted once, for as long as the instance lives. Null with EventCache 0.
    private readonly ConditionalWeakTable<ActivationEvent, float[][]>? _extracted;
    private readonly IInputScoreBackend? _scoreBackend;
    private readonly IScanLevelBackend? _levelBackend;

    /// <summary>Windows before a batch whose MMD outcome is kept for an identical window (<see cref="RecentWindowOutcomes"/>), besides the batch's own (Detector:MaxBatch).</summary>
    public const int RecentWindows = 8;

    /// <param name="referenceId">Named in every detection and alert tested against this reference.</param>
    public ReferenceTester(ReferenceSet reference, string referenceId, DetectorOptions settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentException.ThrowIfNullOrWhiteSpace(referenceId);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        ReferenceId = referenceId;
        Bytes = reference.Layers.Sum(l => (long)l.Vectors.Length * sizeof(float))
            + (reference.Calibration?.Vectors.Sum(v => (long)v.Length * sizeof(float)) ?? 0);
        var device = ComputeDevice.Resolve(settings.Device);
        _options = new WindowTesterOptions
        {
            Alpha = settings.Alpha,
            Correction = settings.Correction,
            TopK = settings.TopK,
            Test = new MmdTestOptions { Permutations = settings.Permutations, Seed = (ulong)settings.Seed, Device = device },
            Null = settings.Mmd.Null,
            NullWindows = settings.Mmd.NullWindows,
            HostThreads = settings.Mmd.HostThreads,
            CrossSumCache = settings.EventCache,
        };
        _tester = new WindowTester(reference, device, _options, backend: ComputeBackends.Create(settings.Backend));
        LogLoaded(logger, referenceId, reference.Model, reference.ModelVersion, string.Join(',', reference.Layers.Select(l => $"{l.Layer}[{l.Count}x{l.Dimension}]")), device.ToString());
        LogBackend(logger, settings.Backend.ToString(), _tester.BackendDescription);
        if (_tester.NullFallbackReason is { } fallback)
            LogNullFallback(logger, fallback);
        else if (_tester.NullMode == MmdNullMode.Precomputed)
        {
            var built = System.Diagnostics.Stopwatch.StartNew();
            _tester.PrepareNull([settings.Mmd.PrepareWindowSize]);
            LogNullPrecomputed(logger, settings.Mmd.NullWindows, _tester.NullPoolCount ?? 0, settings.Mmd.PrepareWindowSize, built.Elapsed.TotalSeconds);
        }

        PerInputScorer? scorer = null;
        if (!settings.InputScores)
            LogInputScoresOff(logger, "Detector:InputScores is false");
        else if (!reference.HasCalibration)
            LogInputScoresOff(logger, reference.MissingCalibrationMessage ?? "the reference has no calibration split");
        else
        {
            _scoreBackend = ComputeBackends.CreateInputScores(settings.Backend);
            try
            {
                scorer = new PerInputScorer(reference, backend: _scoreBackend);
            }
            catch
            {
                _scoreBackend?.Dispose();
                throw;
            }
            LogInputScoresOn(logger, scorer.EffectiveMeasure.ToString(), scorer.CalibrationCount, scorer.Options.Fusion.ToString(), scorer.BackendDescription ?? "the CPU");
        }
        WindowScanner? scanner = null;
        if (!settings.Scan.Enabled)
            LogScanOff(logger, "Detector:Scan:Enabled is false");
        else if (!reference.HasCalibration)
            LogScanOff(logger, reference.MissingCalibrationMessage ?? "the reference has no calibration split");
        else
        {
            var statistic = settings.Scan.Statistic;
            _levelBackend = ComputeBackends.CreateScanLevels(settings.Backend);
            try
            {
                scanner = WindowScanner.Create(
                    reference,
                    new SubsetScanOptions { Statistic = statistic, Seed = settings.Seed },
                    new ScanNullOptions { Windows = settings.Scan.NullWindows, MaxDegreeOfParallelism = Environment.ProcessorCount },
                    _levelBackend);
            }
            catch
            {
                _levelBackend?.Dispose();
                throw;
            }
            var started = System.Diagnostics.Stopwatch.StartNew();
            scanner!.Prepare([settings.Scan.PrepareWindowSize]);
            LogScanOn(logger, statistic.ToString(), scanner.Conditional ? "per predicted class" : "against the whole reference", scanner.LevelBackendDescription ?? "the CPU", settings.Scan.NullWindows, settings.Scan.PrepareWindowSize, started.Elapsed.TotalSeconds);
        }
        var cache = settings.EventCache > 0 && (scorer is not null || scanner is not null) ? new EventEvidenceCache(settings.EventCache) : null;
        _evidence = new WindowEvidenceBuilder(scorer, settings.Alpha, scanner, cache);
        // A batch adds up to MaxBatch windows before their evidence is built: the ring keeps them and the
        // RecentWindows before them, which the batch's gathering may have counted on.
        _recent = settings.EventCache > 0 ? new RecentWindowOutcomes(RecentWindows + settings.MaxBatch) : null;
        _extracted = settings.EventCache > 0 ? new ConditionalWeakTable<ActivationEvent, float[][]>() : null;
    }

    /// <summary>
    /// The window decision over every family that ran (<see cref="WindowEvidenceBuilder"/>): the MMD
    /// outcome, the events' per-input scores and the ranked events an alert names. A window that was
    /// not tested keeps the MMD outcome (no alert).
    /// </summary>
    /// <param name="gathered">The window's part from <see cref="GatherEvidenceAsync"/>, computed while it was tested; null computes it here.</param>
    public WindowEvidence Evidence(PreparedWindow prepared, WindowTestOutcome outcome, EventEvidence? gathered = null)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(outcome);
        if (!prepared.Testable) return WindowEvidence.MmdOnly(FiniteOutcome.Ensure(outcome));
        var (layers, predicted, eventKeys, keys) = InputsOf(prepared);
        var finite = FiniteOutcome.Ensure(outcome);
        if (keys is not null && _recent!.FindEvidence(keys, layers, predicted, finite.CombinedPValue) is { } known)
            return known;
        if (gathered is null)
        {
            GatheredEvents events;
            lock (_evidenceGate)
                events = _evidence.GatherEvents(layers, predicted, eventKeys);
            gathered = _evidence.Scan(events);
        }

        var evidence = _evidence.Build(finite, gathered);
        if (keys is not null)
            _recent!.AddEvidence(keys, layers, predicted, finite.CombinedPValue, evidence);
        return evidence;
    }

    /// <summary>
    /// Starts, on the thread pool, the part of the windows' evidence that does not depend on their MMD
    /// outcome (per-input scores and scan, <see cref="WindowEvidenceBuilder.Gather"/>), so that it runs
    /// while <see cref="TestMany"/> tests them; pass each result to <see cref="Evidence"/>. The windows'
    /// events go through the per-event cache in order, one window at a time (the cache sees them as it
    /// would one by one); their scans, which depend on each window alone, then run on every core at once.
    /// A window gets null (computed by <see cref="Evidence"/> only if still needed) when it is not tested,
    /// or when an identical recent window, or an identical earlier one of the list, will lend its evidence.
    /// </summary>
    public Task<EventEvidence?[]> GatherEvidenceAsync(IReadOnlyList<PreparedWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var inputs = windows.Select(w => w.Testable ? InputsOf(w) : null).ToArray();
        var wanted = new bool[windows.Count];
        for (var i = 0; i < windows.Count; i++)
        {
            if (inputs[i] is not { } input) continue;
            var keys = input.Keys;
            var repeated = keys is not null && Enumerable.Range(0, i).Any(j => wanted[j] && inputs[j]!.Keys is { } other && other.SequenceEqual(keys));
            wanted[i] = !repeated && (keys is null || !_recent!.HoldsEvidence(keys, input.Layers, input.Predicted));
        }

        if (!wanted.Any(w => w))
            return Task.FromResult(new EventEvidence?[windows.Count]);
        return Task.Run(() =>
        {
            var events = new GatheredEvents?[windows.Count];
            lock (_evidenceGate)
            {
                for (var i = 0; i < windows.Count; i++)
                {
                    if (wanted[i])
                        events[i] = _evidence.GatherEvents(inputs[i]!.Layers, inputs[i]!.Predicted, inputs[i]!.EventKeys);
                }
            }

            var gathered = new EventEvidence?[windows.Count];
            Parallel.For(0, windows.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                if (events[i] is { } gatheredEvents)
                    gathered[i] = _evidence.Scan(gatheredEvents);
            });
            return gathered;
        });
    }

    private EvidenceInputs InputsOf(PreparedWindow prepared)
    {
        // proto3 has no "unset" for predicted_class; a publisher that sets no class leaves confidence 0.
        EventKey?[] eventKeys = [.. prepared.Events.Select(Key)];
        return new EvidenceInputs(
            [.. Reference.Layers.Select(l => prepared.Layers[l.Layer])],
            [.. prepared.Events.Select(e => e.Confidence > 0 ? e.PredictedClass : (int?)null)],
            eventKeys,
            _recent is null ? null : WindowKeys(eventKeys));
    }

    /// <summary>Where the time of <see cref="Evidence"/> went (per-input scores, scan levels, scan search), and how many events were reused.</summary>
    public EvidenceTimings EvidenceTimings => _evidence.Timings;

    /// <summary>The per-event cache of Detector:EventCache; null when it is 0 or neither per-input scores nor the scan run.</summary>
    public EventEvidenceCache? EventCache => _evidence.Cache;

    /// <summary>Events' cross-kernel sums against a precomputed null (Detector:EventCache events); null when it is 0 or the null is permutations.</summary>
    public CrossSumCache? CrossSums => _tester.CrossSums;

    /// <summary>Windows answered from an identical recent window instead of being tested again; null when Detector:EventCache is 0.</summary>
    public RecentWindowOutcomes? RecentOutcomes => _recent;

    /// <summary>The window's key: its events' keys when every event has one (a window with an event without id is always tested); null otherwise.</summary>
    private static EventKey[]? WindowKeys(EventKey?[] eventKeys)
    {
        var keys = new EventKey[eventKeys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            if (eventKeys[i] is not { } key) return null;
            keys[i] = key;
        }
        return keys;
    }

    /// <summary>
    /// <see cref="ReferenceFit.Extract"/>, or the vectors an earlier window extracted from the same instance (the
    /// same reference and checks, so the same vectors; the fallback's looser check is not kept).
    /// </summary>
    private EventProblem? Extract(ActivationEvent activation, bool fallback, out float[][] vectors)
    {
        if (!fallback && _extracted is not null && _extracted.TryGetValue(activation, out vectors!))
            return null;
        var problem = ReferenceFit.Extract(activation, Reference, out vectors, checkVersion: !fallback);
        if (problem is null && !fallback)
            _extracted?.AddOrUpdate(activation, vectors);
        return problem;
    }

    /// <summary>An event's key across windows: its stream and id; none for an event without an id.</summary>
    private static EventKey? Key(ActivationEvent activation) =>
        activation.Header is { EventId.Length: > 0 } header ? new EventKey(header.StreamId, header.EventId) : null;

    public ReferenceSet Reference => _tester.References;

    /// <summary>The id named in detections and alerts: the registry's id, or for a file the id it would have there.</summary>
    public string ReferenceId { get; }

    /// <summary>Bytes of the reference and calibration vectors: what the registry mode's cache counts against its budget.</summary>
    public long Bytes { get; }

    /// <summary>
    /// Checks every event against the reference (<see cref="ReferenceFit"/>) and builds the per-layer
    /// matrices of those that fit. An event that does not fit costs that event, never the window: it
    /// is listed in <see cref="PreparedWindow.Dropped"/> and the rest is tested. Only a window that
    /// is as a whole of another model throws <see cref="MalformedMessageException"/> (it belongs to
    /// another detector; one dead letter for the window instead of one per event).
    /// </summary>
    /// <param name="fallback">The reference is the model's newest of another version (the registry's version fallback): events of any version of the model fit, and the detection says so.</param>
    public PreparedWindow Prepare(WindowReady window, IReadOnlyList<ActivationEvent> events, int missingEvents = 0, bool fallback = false)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(events);
        var model = window.Header?.Model ?? "";
        if (!string.Equals(model, Reference.Model, StringComparison.Ordinal))
            throw new MalformedMessageException($"Window {Text.Shorten(window.WindowId)} is of model '{Text.Shorten(model)}', but the reference is for '{Reference.Model}'.");

        var usable = new List<ActivationEvent>(events.Count);
        var dropped = new List<DroppedEvent>();
        var rows = new List<float[]>[Reference.Layers.Count];
        for (var i = 0; i < rows.Length; i++)
            rows[i] = new List<float[]>(events.Count);
        foreach (var activation in events)
        {
            var problem = Extract(activation, fallback, out var vectors);
            if (problem is not null)
            {
                dropped.Add(new DroppedEvent(activation, problem));
                continue;
            }

            usable.Add(activation);
            for (var i = 0; i < rows.Length; i++)
                rows[i].Add(vectors[i]);
        }

        var layers = new Dictionary<string, float[][]>(rows.Length, StringComparer.Ordinal);
        for (var i = 0; i < rows.Length; i++)
            layers[Reference.Layers[i].Layer] = [.. rows[i]];
        return new PreparedWindow(window, usable, layers, dropped, missingEvents) { ReferenceId = ReferenceId, ReferenceFallback = fallback };
    }

    /// <summary>
    /// Tests a backlog of windows in one set of device calls (<see cref="WindowTester.TestMany"/>);
    /// outcome i equals what testing window i alone gives. A window with fewer than two usable events
    /// is not tested: its outcome has no layers, p = 1 and no alert. Every outcome is made finite
    /// (<see cref="FiniteOutcome"/>) before it is returned, so no NaN can decide an alert.
    /// </summary>
    public IReadOnlyList<WindowTestOutcome> TestMany(IReadOnlyList<PreparedWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var outcomes = new WindowTestOutcome[windows.Count];
        var testable = Enumerable.Range(0, windows.Count).Where(i => windows[i].Testable).ToArray();
        foreach (var i in Enumerable.Range(0, windows.Count).Except(testable))
            outcomes[i] = new WindowTestOutcome([], _options.Correction, _options.Alpha, CombinedPValue: 1, Alert: false, [], TimeSpan.Zero);

        // A window with the same events as a recent one (one stream: its model-wide window) is not tested again,
        // nor one with the same events as an earlier window of this call (both in one batch): it waits for that
        // window's outcome, which is then found among the recent ones (or, its vectors differing, it is tested after).
        var inputs = testable.ToDictionary(i => i, i => InputsOf(windows[i]));
        FindRecent(testable);
        var pending = testable.Where(i => outcomes[i] is null).ToArray();
        var twins = pending.Where(i => inputs[i].Keys is { } k && pending.Any(j => j < i && inputs[j].Keys is { } other && other.AsSpan().SequenceEqual(k))).ToArray();
        TestAndKeep([.. pending.Except(twins)]);
        FindRecent(twins);
        TestAndKeep([.. twins.Where(i => outcomes[i] is null)]);

        return [.. outcomes.Select(FiniteOutcome.Ensure)];

        void FindRecent(IEnumerable<int> which)
        {
            foreach (var i in which)
            {
                if (inputs[i].Keys is { } k && _recent!.Find(k, inputs[i].Layers) is { } known)
                    outcomes[i] = known;
            }
        }

        void TestAndKeep(int[] which)
        {
            if (which.Length == 0) return;
            IReadOnlyList<WindowTestOutcome> tested;
            try
            {
                lock (_gate)
                    tested = _tester.TestMany(
                        [.. which.Select(i => windows[i].Layers)],
                        [.. which.Select(i => inputs[i].EventKeys)]);
            }
            catch (ArgumentException ex)
            {
                // Prepare leaves nothing the tester refuses; should that change, the window is dead-lettered.
                // In a batch the consumer retries each window alone, which finds the one at fault.
                var named = windows.Count == 1 ? $"Window {Text.Shorten(windows[0].Window.WindowId)}" : $"One of {windows.Count} windows";
                throw new MalformedMessageException($"{named} cannot be tested: {ex.Message}", ex);
            }

            for (var t = 0; t < which.Length; t++)
            {
                outcomes[which[t]] = tested[t];
                if (inputs[which[t]].Keys is { } k)
                    _recent!.Add(k, inputs[which[t]].Layers, tested[t]);
            }
        }
    }

    public void Dispose()
    {
        _tester.Dispose();
        _scoreBackend?.Dispose();
        _levelBackend?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Per-input scores on: {Measure} per layer computed by {Backend}, conformal p-values against {Calibration} held-out calibration inputs, layers fused by {Fusion}")]
    private static partial void LogInputScoresOn(ILogger logger, string measure, int calibration, string fusion, string backend);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Per-input scores off: {Reason}. Windows are decided by the MMD tests alone; inputs mixed into clean traffic are caught far less often")]
    private static partial void LogInputScoresOff(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subset scan on: {Statistic}, nodes compared {How}, levels computed by {Backend}; null of {Windows} clean windows of {Size} events simulated from the calibration split in {Seconds:F1} s (other sizes on first use)")]
    private static partial void LogScanOn(ILogger logger, string statistic, string how, string backend, int windows, int size, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subset scan off: {Reason}")]
    private static partial void LogScanOff(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "MMD null precomputed: {Windows} clean windows per size drawn from {Pool} calibration inputs; size {Size} built in {Seconds:F2} s (other sizes on first use; larger than the pool: permutations)")]
    private static partial void LogNullPrecomputed(ILogger logger, int windows, int pool, int size, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Detector:Mmd:Null is Precomputed, but {Reason}")]
    private static partial void LogNullFallback(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Detector:Backend {Setting}: window MMD statistics computed by {Backend}")]
    private static partial void LogBackend(ILogger logger, string setting, string backend);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reference {ReferenceId} for {Model} {Version} loaded: {Layers} on {Device}")]
    private static partial void LogLoaded(ILogger logger, string referenceId, string model, string version, string layers, string device);
}
