using System.Diagnostics;
using Streaming.Detection.Scanning;
using Streaming.Detection.Scoring;

namespace Streaming.Detection.Decision;

/// <summary>
/// Turns a window's MMD outcome, its events' per-input scores and its subset scan into one decision
/// (<see cref="WindowDecider"/>), the ranked events it names (<see cref="InputFindings"/>) and its
/// kind (<see cref="EvidenceKinds"/>). Either family may be absent (a reference without a calibration
/// split has no per-input scores; the scan may be off): the decision is then over those that ran.
/// What each event contributes (its per-input score, its scan level row) does not depend on the
/// window; with a <see cref="EventEvidenceCache"/> and the events' keys it is computed once per event
/// and reused by every window holding it, with results identical to computing it again.
/// </summary>
/// <param name="cache">Per-event results kept across windows; null computes every event of every window.</param>
public sealed class WindowEvidenceBuilder(PerInputScorer? scorer, double alpha, WindowScanner? scanner = null, EventEvidenceCache? cache = null)
{
    private readonly LevelCountTest? _levels = scorer is null ? null : new LevelCountTest(scorer.CalibrationCount);

    /// <summary>Where the time of the windows built so far went.</summary>
    public EvidenceTimings Timings { get; } = new();

    public EventEvidenceCache? Cache => cache;

    /// <summary>The window's decision from its MMD outcome and its events' evidence (<see cref="Gather"/>).</summary>
    /// <param name="layers">Per reference layer (in the scorer's order) the window's tested vectors, one per event.</param>
    /// <param name="predictedClasses">Per event the model's predicted class, null when unknown.</param>
    /// <param name="eventKeys">Per event its key in the <see cref="Cache"/> (null entries, or a null list: not cached).</param>
    public WindowEvidence Build(WindowTestOutcome outcome, IReadOnlyList<float[][]> layers, IReadOnlyList<int?> predictedClasses, IReadOnlyList<EventKey?>? eventKeys = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return Build(outcome, Gather(layers, predictedClasses, eventKeys));
    }

    /// <summary>
    /// The part of a window's evidence that does not depend on its MMD outcome: its events' per-input
    /// scores and its subset scan (<see cref="GatherEvents"/>, then <see cref="Scan"/>). Not thread-safe
    /// (the cache is shared): one call at a time.
    /// </summary>
    /// <param name="layers">Per reference layer (in the scorer's order) the window's tested vectors, one per event.</param>
    /// <param name="predictedClasses">Per event the model's predicted class, null when unknown.</param>
    /// <param name="eventKeys">Per event its key in the <see cref="Cache"/> (null entries, or a null list: not cached).</param>
    public EventEvidence Gather(IReadOnlyList<float[][]> layers, IReadOnlyList<int?> predictedClasses, IReadOnlyList<EventKey?>? eventKeys = null) =>
        Scan(GatherEvents(layers, predictedClasses, eventKeys));

    /// <summary>
    /// The part of <see cref="Gather"/> that goes through the per-event cache: every event's per-input
    /// score and scan level row. Not thread-safe (the cache is shared): one call at a time, in the
    /// order the windows arrive.
    /// </summary>
    /// <param name="layers">Per reference layer (in the scorer's order) the window's tested vectors, one per event.</param>
    /// <param name="predictedClasses">Per event the model's predicted class, null when unknown.</param>
    /// <param name="eventKeys">Per event its key in the <see cref="Cache"/> (null entries, or a null list: not cached).</param>
    public GatheredEvents GatherEvents(IReadOnlyList<float[][]> layers, IReadOnlyList<int?> predictedClasses, IReadOnlyList<EventKey?>? eventKeys = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(predictedClasses);
        var events = layers.Count == 0 ? 0 : layers[0]?.Length ?? 0;
        if (layers.Any(l => l is null || l.Length != events))
            throw new ArgumentException($"Every layer must hold the same {events} events.", nameof(layers));
        if (predictedClasses.Count != events)
            throw new ArgumentException($"{predictedClasses.Count} predicted classes for {events} events.", nameof(predictedClasses));
        if (eventKeys is not null && eventKeys.Count != events)
            throw new ArgumentException($"{eventKeys.Count} event keys for {events} events.", nameof(eventKeys));

        Timings.AddWindow();
        var scans = scanner is not null && events >= 2;
        var (scores, rows) = PerEvent(layers, predictedClasses, eventKeys, events, scans);
        return new GatheredEvents(events, scores, scans ? rows : null);
    }

    /// <summary>
    /// The window's subset scan over its gathered events, and its evidence. Thread-safe (it reads only
    /// the window's rows and the scanner, whose null cache locks; the timings are atomic), so the
    /// Detector scans a backlog's windows on every core at once.
    /// </summary>
    public EventEvidence Scan(GatheredEvents gathered)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        ScanFinding? scan = null;
        if (gathered.Rows is { } rows)
        {
            if (scanner is null)
                throw new ArgumentException("Level rows were gathered, but this builder has no scanner.", nameof(gathered));
            var started = Stopwatch.GetTimestamp();
            scan = scanner.Scan(rows);
            Timings.AddSearch(Stopwatch.GetTimestamp() - started);
        }
        return new EventEvidence(gathered.Events, gathered.Scores is null ? null : [.. gathered.Scores.Select(s => s!)], scan);
    }

    /// <summary>The window's decision from its MMD outcome and what <see cref="Gather"/> found for its events.</summary>
    public WindowEvidence Build(WindowTestOutcome outcome, EventEvidence gathered)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(gathered);
        var (events, scan) = (gathered.Events, gathered.Scan);
        if (scorer is null || gathered.Scores is null || events == 0)
            return new WindowEvidence(WindowDecider.Decide(outcome.CombinedPValue, scan?.PValue, null, alpha), scan, [], EvidenceKind.Unknown);

        var scored = gathered.Scores;
        var pValues = scored.Select(s => s.FusedPValue).ToArray();
        var decision = WindowDecider.Decide(outcome.CombinedPValue, scan?.PValue, _levels!.PValue(scored), alpha);
        var findings = InputFindings.Rank(pValues, [.. scored.Select(s => s.SmallestLayerName)], [.. scored.Select(s => s.AdversarialEvidence)], alpha, events);
        var kind = decision.Alert ? EvidenceKinds.Classify(findings, scorer.Options.AdversarialLevel, alpha) : EvidenceKind.Unknown;
        return new WindowEvidence(decision, scan, findings, kind);
    }

    /// <summary>
    /// Every event's per-input score (null without a scorer) and scan level row (when <paramref name="scans"/>),
    /// from the cache where it holds them. The events the cache misses are scored in one
    /// <see cref="PerInputScorer.ScoreWindow"/> call and their levels computed in one
    /// <see cref="WindowScanner.EventLevels(IReadOnlyList{float[][]}, IReadOnlyList{int?})"/> call (device calls with device backends).
    /// </summary>
    private (InputScore?[]? Scores, ScanRow?[] Rows) PerEvent(IReadOnlyList<float[][]> layers, IReadOnlyList<int?> predictedClasses, IReadOnlyList<EventKey?>? eventKeys, int events, bool scans)
    {
        var scores = scorer is null ? null : new InputScore?[events];
        var rows = new ScanRow?[scans ? events : 0];
        var missed = new List<int>(events);
        for (var e = 0; e < events; e++)
        {
            var key = cache is null ? null : eventKeys?[e];
            if (key is { } k && cache!.Find(k, Vectors(layers, e), predictedClasses[e], scans) is { } hit)
            {
                if (scores is not null) scores[e] = hit.Score;
                if (scans) rows[e] = hit.Row;
                continue;
            }
            missed.Add(e);
        }

        if (scorer is not null && missed.Count > 0)
        {
            var started = Stopwatch.GetTimestamp();
            var computed = scorer.ScoreWindow([.. layers.Select(l => missed.Select(e => l[e]).ToArray())], [.. missed.Select(e => predictedClasses[e])]);
            Timings.AddScoring(Stopwatch.GetTimestamp() - started);
            for (var m = 0; m < missed.Count; m++) scores![missed[m]] = computed[m];
        }
        if (scans && missed.Count > 0)
        {
            var started = Stopwatch.GetTimestamp();
            var computed = scanner!.EventLevels([.. layers.Select(l => missed.Select(e => l[e]).ToArray())], [.. missed.Select(e => predictedClasses[e])]);
            Timings.AddLevels(Stopwatch.GetTimestamp() - started);
            for (var m = 0; m < missed.Count; m++) rows[missed[m]] = computed[m];
        }
        foreach (var e in missed)
        {
            if ((cache is null ? null : eventKeys?[e]) is { } added)
                cache!.Add(added, new CachedEvent(Vectors(layers, e), predictedClasses[e], scores?[e], scans, scans ? rows[e] : null));
        }
        Timings.AddEvents(missed.Count, events - missed.Count);
        return (scores, rows);
    }

    private static float[][] Vectors(IReadOnlyList<float[][]> layers, int e) => [.. layers.Select(l => l[e])];
}
