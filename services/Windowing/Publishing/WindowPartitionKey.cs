using System.Text;
using Streaming.Contracts;

namespace Streaming.Windowing.Publishing;

/// <summary>
/// The Kafka key a window is published under, which picks its partition of the windows topic and so
/// the Detector instance that tests it.
/// </summary>
/// <remarks>
/// A stream's windows are keyed by its stream id: they land on one partition, in order, and the
/// Detector that tests them keeps their events' scores in its cache between the overlapping windows.
/// A model-wide window is keyed by its window id. Keyed by its stream id, as it was, every model's
/// model-wide windows (as many as all its stream windows together) shared the one partition of
/// "__model", so with two Detectors one of them tested more than half of all windows while the other
/// idled. No consumer depends on the order of model-wide windows (the Detector tests each alone).
/// </remarks>
public static class WindowPartitionKey
{
    public static byte[] Of(WindowReady window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var key = WindowScopes.IsModelWide(window.Scope) ? window.WindowId : window.Header.StreamId;
        return Encoding.UTF8.GetBytes(key);
    }
}
