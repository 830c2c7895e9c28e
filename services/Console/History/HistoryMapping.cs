using Streaming.Contracts;

namespace Streaming.Console.History;

/// <summary>From the protobuf messages to what the console keeps; non-finite numbers become null.</summary>
public static class HistoryMapping
{
    public static StreamRef StreamOf(EventHeader header) => new(header.Model, header.StreamId);

    public static DetectionPoint ToPoint(DetectionResult detection)
    {
        var time = (detection.LastEventTimestamp ?? detection.Header.Timestamp)?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch;
        var layers = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var layer in detection.Layers)
        {
            if (double.IsFinite(layer.PValue))
                layers[layer.Layer] = layer.PValue;
        }

        return new DetectionPoint(
            time.ToUnixTimeMilliseconds(),
            detection.WindowId,
            Finite(detection.CombinedPValue),
            detection.Alert,
            Finite(detection.Alpha) ?? 0,
            detection.Status,
            Finite(detection.AttackShare) ?? 0,
            layers);
    }

    public static AlertRecord ToRecord(Alert alert)
    {
        // Ranked by p-value, lowest (most suspicious) first; an alert without scored events still names its top ids.
        var events = alert.SuspiciousEvents
            .OrderBy(e => Finite(e.PValue) ?? double.MaxValue)
            .Select((e, i) => new AlertEvent(i + 1, e.EventId, string.IsNullOrEmpty(e.StreamId) ? alert.Header.StreamId : e.StreamId, Finite(e.PValue), e.Layer, e.Flagged))
            .ToList();
        if (events.Count == 0)
        {
            events = alert.TopEventIds
                .Select((id, i) => new AlertEvent(i + 1, id, i < alert.TopEventStreamIds.Count ? alert.TopEventStreamIds[i] : alert.Header.StreamId, null, "", false))
                .ToList();
        }

        return new AlertRecord(
            alert.AlertId,
            alert.Header.Model,
            alert.Header.ModelVersion,
            alert.Header.StreamId,
            alert.WindowId,
            (alert.Header.Timestamp?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch).ToUnixTimeMilliseconds(),
            alert.LastEventTimestamp?.ToDateTimeOffset().ToUnixTimeMilliseconds(),
            Finite(alert.CombinedPValue),
            Finite(alert.Alpha) ?? 0,
            alert.Severity,
            alert.Kind,
            [.. alert.RejectedLayers],
            [.. alert.Layers.Select(l => new AlertLayer(l.Layer, Finite(l.Mmd2), Finite(l.PValue), l.Rejected))],
            events);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
