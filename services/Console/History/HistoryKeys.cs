using System.Globalization;

namespace Streaming.Console.History;

/// <summary>
/// The console's Redis keys. A model or stream name is written length-prefixed, so no name (a stream
/// id may hold any character) can make two streams share a key.
/// </summary>
public sealed class HistoryKeys(string prefix)
{
    /// <summary>Sorted set of every known stream (member: <see cref="StreamRef.ToMember"/>), scored by last update (Unix ms).</summary>
    public string Streams => prefix + "streams";

    /// <summary>Sorted set of every kept alert id, scored by alert time (Unix ms).</summary>
    public string Alerts => prefix + "alerts";

    /// <summary>Prefix of the alert documents; the Lua trim deletes the evicted ones by it.</summary>
    public string AlertPrefix => prefix + "alert:";

    /// <summary>Pub/sub channel of live detections (every console instance forwards it to its browsers).</summary>
    public string LiveChannel => prefix + "live";

    public string Alert(string alertId) => AlertPrefix + alertId;

    /// <summary>Marks a window as recorded, so a redelivered detection is not counted twice.</summary>
    public string SeenWindow(string model, string windowId) => $"{prefix}seen:{Name(model)}{windowId}";

    /// <summary>Hash: the stream's current state (see <see cref="StreamState"/>).</summary>
    public string State(string model, string stream) => $"{prefix}state:{Name(model)}{Name(stream)}";

    /// <summary>List, newest first: the stream's tested windows as JSON <see cref="DetectionPoint"/>s.</summary>
    public string Windows(string model, string stream) => $"{prefix}windows:{Name(model)}{Name(stream)}";

    /// <summary>Sorted set of the stream's alert ids, scored by alert time.</summary>
    public string StreamAlerts(string model, string stream) => $"{prefix}alerts:{Name(model)}{Name(stream)}";

    /// <summary>Sorted set of the model's alert ids (all its streams), scored by alert time.</summary>
    public string ModelAlerts(string model) => $"{prefix}model-alerts:{Name(model)}";

    /// <summary>Hash: per model, windows and alarms of unlabelled-or-clean traffic (the clean baseline).</summary>
    public string Baseline(string model) => $"{prefix}baseline:{Name(model)}";

    private static string Name(string name) => name.Length.ToString(CultureInfo.InvariantCulture) + ":" + name + ":";
}
