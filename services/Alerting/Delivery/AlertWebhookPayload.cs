using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.Alerting.Delivery;

/// <summary>
/// The JSON body POSTed to a webhook (camelCase). <see cref="SchemaVersion"/> changes only when a
/// field is removed or changes meaning; new fields may be added within a version, so receivers
/// should ignore unknown fields.
/// Schema version 1:
/// <code>
/// { "schemaVersion": 1, "alertId": "…", "model": "…", "modelVersion": "…", "streamId": "…",
///   "windowId": "…", "timestamp": "2025-03-14T09:26:53+00:00", "lastEventTimestamp": "…",
///   "combinedPValue": 0.001, "alpha": 0.05, "rejectedLayers": ["conv2"],
///   "layers": [{ "layer": "conv2", "mmd2": 0.12, "pValue": 0.001, "rejected": true, "threshold": null }],
///   "topEventIds": ["…"], "severity": "high", "mode": "window", "runLength": null,
///   "kind": "adversarial", "mmdPValue": 0.02, "scanPValue": 0.001, "inputPValue": 0.0004,
///   "suspiciousEvents": [{ "eventId": "…", "streamId": "…", "pValue": 0.0002, "layer": "fc1",
///                          "flagged": true, "adversarial": true }],
///   "referenceId": "small-cnn/v1/0123456789ab", "referenceFallback": false }
/// </code>
/// Nullable, and written as JSON null: <c>timestamp</c> and <c>lastEventTimestamp</c> when the alert
/// lacks them or they are outside years 1-9999; every number (<c>combinedPValue</c>, <c>alpha</c>,
/// a layer's <c>mmd2</c>, <c>pValue</c>, <c>threshold</c>) when it is not finite (NaN, ±Infinity),
/// which JSON cannot carry: an online-mode alert, for example, has no p-value. <c>threshold</c> is
/// set in online mode only, <c>runLength</c> (events since the stream's start or previous alarm)
/// too. <c>mode</c> is "window" or "online"; <c>threshold</c>, <c>mode</c> and <c>runLength</c>
/// were added within version 1. So were <c>kind</c> ("adversarial", "shift", or null when the
/// detector could not tell), the window decision's family p-values (<c>mmdPValue</c>;
/// <c>scanPValue</c> and <c>inputPValue</c> null when that family did not run) and
/// <c>suspiciousEvents</c> (smallest per-input p-value first; <c>flagged</c>: passed
/// Benjamini-Hochberg over the window), and <c>referenceId</c> (the reference the window was tested
/// against, "model/version/checksum prefix"; null when the alert does not name one) with
/// <c>referenceFallback</c> (true when the model version had no active reference of its own and the
/// model's newest one was used).
/// </summary>
public sealed record AlertWebhookPayload(
    int SchemaVersion,
    string AlertId,
    string Model,
    string ModelVersion,
    string StreamId,
    string WindowId,
    DateTimeOffset? Timestamp,
    DateTimeOffset? LastEventTimestamp,
    double? CombinedPValue,
    double? Alpha,
    IReadOnlyList<string> RejectedLayers,
    IReadOnlyList<LayerPayload> Layers,
    IReadOnlyList<string> TopEventIds,
    string Severity,
    string Mode,
    ulong? RunLength,
    string? Kind,
    double? MmdPValue,
    double? ScanPValue,
    double? InputPValue,
    IReadOnlyList<SuspiciousEventPayload> SuspiciousEvents,
    string? ReferenceId,
    bool ReferenceFallback)
{
    public const int CurrentSchemaVersion = 1;

    public const string WindowMode = "window";

    public const string OnlineMode = "online";

    /// <summary>
    /// Maps a parsed alert; never throws for a value JSON cannot carry (it becomes null).
    /// An alert that can never be delivered (no id, an id no HTTP header can carry) is malformed.
    /// </summary>
    /// <exception cref="MalformedMessageException">See <see cref="DeliverableAlert.Check"/>.</exception>
    public static AlertWebhookPayload From(Alert alert)
    {
        DeliverableAlert.Check(alert);
        var header = alert.Header ?? new EventHeader();
        var online = alert.Mode == OnlineMode;
        return new AlertWebhookPayload(
            CurrentSchemaVersion,
            alert.AlertId,
            header.Model,
            header.ModelVersion,
            header.StreamId,
            alert.WindowId,
            PayloadValues.Time(header.Timestamp),
            PayloadValues.Time(alert.LastEventTimestamp),
            PayloadValues.Finite(alert.CombinedPValue),
            PayloadValues.Finite(alert.Alpha),
            [.. alert.RejectedLayers],
            [.. alert.Layers.Select(l => new LayerPayload(
                l.Layer,
                PayloadValues.Finite(l.Mmd2),
                PayloadValues.Finite(l.PValue),
                l.Rejected,
                online ? PayloadValues.Finite(l.Threshold) : null))],
            [.. alert.TopEventIds],
            alert.Severity,
            online ? OnlineMode : WindowMode,
            online ? alert.RunLength : null,
            AlertKinds.IsKnown(alert.Kind) ? alert.Kind : null,
            online ? null : PayloadValues.Finite(alert.MmdPValue),
            alert.Scan is { } scan ? PayloadValues.Finite(scan.PValue) : null,
            alert.HasInputPValue ? PayloadValues.Finite(alert.InputPValue) : null,
            [.. alert.SuspiciousEvents.Select(e => new SuspiciousEventPayload(
                e.EventId, e.StreamId, PayloadValues.Finite(e.PValue), e.Layer, e.Flagged, e.Adversarial))],
            string.IsNullOrEmpty(alert.ReferenceId) ? null : alert.ReferenceId,
            alert.ReferenceFallback);
    }
}
