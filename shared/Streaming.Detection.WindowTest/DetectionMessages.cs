using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Streaming.Contracts;
using Streaming.Detection.Decision;
using Streaming.Detection.Online;

namespace Streaming.Detection.WindowTest;

/// <summary>Builds the detection result and alert events of a tested window.</summary>
public static class DetectionMessages
{
    /// <summary>Ids of dropped events listed in a detection; the count is always complete.</summary>
    public const int MaxDroppedIdsListed = 100;

    /// <summary>Most events a detection or an alert names in suspicious_events.</summary>
    public const int MaxSuspiciousEvents = 100;

    /// <summary>Most events and nodes of the scan's subset listed by id.</summary>
    public const int MaxScanIdsListed = 100;
    /// <summary>Distinct stream ids listed in a detection or alert (a model-wide window may span one stream per event).</summary>
    public const int MaxStreamIdsListed = 100;

    /// <param name="outcome">The outcome of <see cref="WindowTestRunner.TestMany"/> for <paramref name="prepared"/> (already made finite there).</param>
    /// <param name="evidence">The window decision over every family; null: the MMD family alone.</param>
    /// <param name="metrics">Where non-finite numbers replaced in the message are counted; null (replay, tests): not counted.</param>
    public static DetectionResult Detection(PreparedWindow prepared, WindowTestOutcome outcome, DetectorOptions options, DateTimeOffset now, WindowEvidence? evidence = null, DetectionMessageMetrics? metrics = null)
    {
        var (window, events) = (prepared.Window, prepared.Events);
        outcome = FiniteOutcome.Ensure(outcome);
        evidence ??= WindowEvidence.MmdOnly(outcome);
        var result = new DetectionResult
        {
            Header = Header(window, now, "detection:" + window.WindowId),
            WindowId = window.WindowId,
            CombinedPValue = evidence.Decision.CombinedPValue,
            Correction = outcome.Correction.ToString().ToLowerInvariant(),
            Alpha = outcome.Alpha,
            Alert = evidence.Decision.Alert,
            MmdPValue = evidence.Decision.MmdPValue,
            Scan = Scan(evidence.Scan, events),
            Kind = evidence.Decision.Alert ? Kind(evidence.Kind) : "",
            WindowSize = (uint)(events.Count + prepared.Dropped.Count),
            LastEventTimestamp = window.LastEventTimestamp,
            TestDurationMs = outcome.Duration.TotalMilliseconds,
            AttackShare = events.Count == 0 ? 0 : events.Count(IsAttack) / (double)events.Count,
            Status = prepared.Status,
            ReferenceId = prepared.ReferenceId,
            ReferenceFallback = prepared.ReferenceFallback,
            DroppedEvents = (uint)prepared.Dropped.Count,
            MissingEvents = (uint)prepared.MissingEvents,
        };
        result.DroppedEventIds.AddRange(prepared.Dropped.Take(MaxDroppedIdsListed).Select(d => Text.Shorten(d.Event.Header?.EventId)));
        result.Layers.AddRange(LayerResults(outcome, options));
        if (evidence.Decision.InputPValue is { } inputs) result.InputPValue = inputs;
        result.SuspiciousEvents.AddRange(Suspicious(evidence, events));
        result.Scope = Scope(window);
        result.StreamIds.AddRange(StreamIds(events));
        Finish(result, metrics);
        return result;
    }

    /// <param name="evidence">As for <see cref="Detection"/>; the alert is raised when its decision rejects.</param>
    /// <param name="metrics">As for <see cref="Detection"/>.</param>
    public static Alert Alert(PreparedWindow prepared, WindowTestOutcome outcome, DetectorOptions options, DateTimeOffset now, WindowEvidence? evidence = null, DetectionMessageMetrics? metrics = null)
    {
        var (window, events) = (prepared.Window, prepared.Events);
        outcome = FiniteOutcome.Ensure(outcome);
        evidence ??= WindowEvidence.MmdOnly(outcome);
        // Derived from the window id: a window re-tested after a crash raises the same alert id.
        var alertId = "alert:" + window.WindowId;
        var alert = new Alert
        {
            Header = Header(window, now, alertId),
            AlertId = alertId,
            WindowId = window.WindowId,
            CombinedPValue = evidence.Decision.CombinedPValue,
            Alpha = outcome.Alpha,
            LastEventTimestamp = window.LastEventTimestamp,
            Severity = Severity(evidence.Decision.CombinedPValue, outcome.Alpha),
            Mode = "window",
            DroppedEvents = (uint)prepared.Dropped.Count,
            Kind = Kind(evidence.Kind),
            MmdPValue = evidence.Decision.MmdPValue,
            Scan = Scan(evidence.Scan, events),
            ReferenceId = prepared.ReferenceId,
            ReferenceFallback = prepared.ReferenceFallback,
        };
        if (evidence.Decision.InputPValue is { } inputs) alert.InputPValue = inputs;
        alert.SuspiciousEvents.AddRange(Suspicious(evidence, events));
        alert.RejectedLayers.AddRange(outcome.Layers.Where(l => l.Rejected).Select(l => l.Layer));
        alert.Layers.AddRange(LayerResults(outcome, options));
        // Sample indices of the test are positions in the tested events.
        alert.TopEventIds.AddRange(outcome.TopSampleIndices.Take(options.TopK).Select(i => events[i].Header.EventId));
        // A model-wide window spans many streams: name the stream behind each top event, and all of them.
        alert.TopEventStreamIds.AddRange(outcome.TopSampleIndices.Take(options.TopK).Select(i => events[i].Header.StreamId));
        alert.Scope = Scope(window);
        alert.StreamIds.AddRange(StreamIds(events));
        Finish(alert, metrics);
        return alert;
    }

    /// <summary>
    /// The alarm of a stream's online detector, raised by <paramref name="trigger"/>. There is no
    /// p-value: combined_p_value and alpha carry 1/ERT, the chance per clean event of a false alarm
    /// the thresholds were calibrated to; the layers carry MMD² and the threshold it exceeded.
    /// A layer's p_value is a conservative bound from the calibration, never NaN (which no JSON
    /// serializer accepts, so a NaN stalled every alert behind it): the layer's per-step false-alarm
    /// rate f = 1 / (ERT × layers) when it exceeded its threshold (the chance of that on clean
    /// traffic is f, so its p-value is at most f), and 1 when it did not (nothing is claimed). The
    /// Bonferroni combination of the layers, layers × f, is then exactly the alert's 1/ERT.
    /// </summary>
    public static Alert OnlineAlert(ActivationEvent trigger, OnlineStepResult step, IEnumerable<string> topEventIds, OnlineMmdModel model, int topK, DateTimeOffset now, DetectionMessageMetrics? metrics = null)
    {
        // Derived from the triggering event: re-processing the same event raises the same alert id.
        var alertId = $"alert:online:{trigger.Header.Model}/{trigger.Header.StreamId}/{trigger.Header.EventId}";
        double falseAlarmRate = 1.0 / model.Options.ExpectedRunTime;
        double layerFalseAlarmRate = OnlineLayerPValue(model);
        double ratio = step.Layers.Where(l => l.Exceeded && l.Threshold > 0).Select(l => l.Mmd2 / l.Threshold).DefaultIfEmpty(1).Max();
        var alert = new Alert
        {
            Header = Header(trigger.Header, now, alertId),
            AlertId = alertId,
            WindowId = $"online:{trigger.Header.Model}/{trigger.Header.StreamId}/{trigger.Header.EventId}",
            CombinedPValue = falseAlarmRate,
            Alpha = falseAlarmRate,
            LastEventTimestamp = trigger.Header.Timestamp,
            Severity = ratio >= 2 ? "high" : ratio >= 1.5 ? "medium" : "low",
            Mode = "online",
            RunLength = (ulong)step.Step,
        };
        alert.RejectedLayers.AddRange(step.Layers.Where(l => l.Exceeded).Select(l => l.Layer));
        alert.Layers.AddRange(step.Layers.Select(l => new LayerResult
        {
            Layer = l.Layer,
            Mmd2 = l.Mmd2,
            Threshold = l.Threshold,
            Rejected = l.Exceeded,
            PValue = l.Exceeded ? layerFalseAlarmRate : 1,
        }));
        alert.TopEventIds.AddRange(topEventIds.Take(topK));
        Finish(alert, metrics);
        return alert;
    }

    /// <summary>The per-step false-alarm rate each online layer's thresholds were calibrated to: 1 / (ERT × layers).</summary>
    public static double OnlineLayerPValue(OnlineMmdModel model) => 1.0 / (model.Options.ExpectedRunTime * model.Layers.Count);

    /// <summary>How far below alpha the combined p-value is: high at 100x, medium at 10x.</summary>
    public static string Severity(double pValue, double alpha) =>
        pValue <= alpha / 100 ? "high" : pValue <= alpha / 10 ? "medium" : "low";

    private static IEnumerable<LayerResult> LayerResults(WindowTestOutcome outcome, DetectorOptions options) =>
        outcome.Layers.Select(l => new LayerResult
        {
            Layer = l.Layer,
            Mmd2 = l.Mmd2,
            PValue = l.PValue,
            Rejected = l.Rejected,
            Permutations = (uint)options.Permutations,
            Problem = l.Problem ?? "",
        });

    private static string Kind(EvidenceKind kind) => kind switch
    {
        EvidenceKind.Adversarial => AlertKinds.Adversarial,
        EvidenceKind.Shift => AlertKinds.Shift,
        _ => "",
    };

    private static ScanSummary? Scan(ScanFinding? scan, IReadOnlyList<ActivationEvent> events)
    {
        if (scan is null) return null;
        var summary = new ScanSummary
        {
            Statistic = scan.Statistic,
            Score = scan.Score,
            PValue = scan.PValue,
            Threshold = scan.Threshold,
            Events = (uint)scan.EventIndices.Count,
            Nodes = (uint)scan.Nodes.Count,
        };
        summary.EventIds.AddRange(scan.EventIndices.Take(MaxScanIdsListed).Select(i => events[i].Header.EventId));
        summary.NodeNames.AddRange(scan.Nodes.Take(MaxScanIdsListed));
        return summary;
    }

    private static IEnumerable<SuspiciousEvent> Suspicious(WindowEvidence evidence, IReadOnlyList<ActivationEvent> events) =>
        evidence.Findings.Take(MaxSuspiciousEvents).Select(f => new SuspiciousEvent
        {
            EventId = events[f.Index].Header.EventId,
            StreamId = events[f.Index].Header.StreamId,
            PValue = f.PValue,
            Layer = f.Layer,
            Flagged = f.Flagged,
            Adversarial = f.Adversarial,
        });

    /// <summary>Nothing non-finite leaves the detector (see <see cref="FiniteFields"/>); a replacement here means a path skipped <see cref="FiniteOutcome"/>.</summary>
    private static void Finish(IMessage message, DetectionMessageMetrics? metrics)
    {
        var replaced = FiniteFields.Replace(message);
        if (replaced > 0) metrics?.RecordNonFiniteReplaced(replaced);
    }

    /// <summary>"model" for a model-wide window, otherwise "stream" (also for windows written before the scope field).</summary>
    private static string Scope(WindowReady window) => WindowScopes.IsModelWide(window.Scope) ? WindowScopes.Model : WindowScopes.Stream;

    /// <summary>Distinct stream ids of the tested events in window order, at most <see cref="MaxStreamIdsListed"/>.</summary>
    private static IEnumerable<string> StreamIds(IReadOnlyList<ActivationEvent> events) =>
        events.Select(e => e.Header.StreamId).Distinct(StringComparer.Ordinal).Take(MaxStreamIdsListed);

    private static EventHeader Header(WindowReady window, DateTimeOffset now, string eventId) => Header(window.Header, now, eventId);

    /// <summary>A new event's header: model, version and stream of <paramref name="source"/>, its own id and time.</summary>
    private static EventHeader Header(EventHeader source, DateTimeOffset now, string eventId) => new()
    {
        SchemaVersion = SchemaVersions.Current,
        EventId = eventId,
        Model = source.Model,
        ModelVersion = source.ModelVersion,
        StreamId = source.StreamId,
        Timestamp = Timestamp.FromDateTimeOffset(now),
    };

    private static bool IsAttack(ActivationEvent e) =>
        e.Attributes.TryGetValue("attack", out var attack) && !string.IsNullOrEmpty(attack) && attack != "none";
}
