using Streaming.Contracts;
using Streaming.Messaging;

namespace Streaming.Alerting.Delivery;

/// <summary>
/// The JSON body POSTed to a webhook (camelCase; timestamps are ISO-8601 UTC, null when the alert
/// lacks them). <see cref="SchemaVersion"/> changes only when a field is removed or changes meaning;
/// new fields may be added within a version, so receivers should ignore unknown fields.
/// Schema version 1:
/// <code>
/// { "schemaVersion": 1, "alertId": "…", "model": "…", "modelVersion": "…", "streamId": "…",
///   "windowId": "…", "timestamp": "2025-03-14T09:26:53+00:00", "lastEventTimestamp": "…",
///   "combinedPValue": 0.001, "alpha": 0.05, "rejectedLayers": ["conv2"],
///   "layers": [{ "layer": "conv2", "mmd2": 0.12, "pValue": 0.001, "rejected": true }],
///   "topEventIds": ["…"], "severity": "high" }
/// </code>
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
    double CombinedPValue,
    double Alpha,
    IReadOnlyList<string> RejectedLayers,
    IReadOnlyList<LayerPayload> Layers,
    IReadOnlyList<string> TopEventIds,
    string Severity)
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>Maps a parsed alert; an alert without an id cannot be de-duplicated downstream, so it is malformed.</summary>
    public static AlertWebhookPayload From(Alert alert)
    {
        if (string.IsNullOrWhiteSpace(alert.AlertId))
            throw new MalformedMessageException("Alert has no alert_id; webhooks de-duplicate on it.");

        var header = alert.Header;
        return new AlertWebhookPayload(
            CurrentSchemaVersion,
            alert.AlertId,
            header.Model,
            header.ModelVersion,
            header.StreamId,
            alert.WindowId,
            header.Timestamp?.ToDateTimeOffset(),
            alert.LastEventTimestamp?.ToDateTimeOffset(),
            alert.CombinedPValue,
            alert.Alpha,
            [.. alert.RejectedLayers],
            [.. alert.Layers.Select(l => new LayerPayload(l.Layer, l.Mmd2, l.PValue, l.Rejected))],
            [.. alert.TopEventIds],
            alert.Severity);
    }
}
