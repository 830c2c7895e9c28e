using Streaming.Detection.Online;

namespace Streaming.Detector.Online;

/// <summary>Where the online consumer keeps each stream's state between events (Detector:Online:State).</summary>
internal interface IOnlineStreamStore
{
    /// <summary>False for the in-process store: nothing outlives the process or a partition move.</summary>
    bool Persists { get; }

    /// <summary>The stored state of a stream, or null when there is none (new, idle past the TTL, or written for another shape).</summary>
    Task<StoredOnlineStream?> LoadAsync(OnlineMmdModel model, string streamId, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the event at (<paramref name="partition"/>, <paramref name="offset"/>) was applied:
    /// appended to the window, or, after an alarm (<paramref name="restarted"/>), the window emptied.
    /// </summary>
    Task SaveAsync(OnlineMmdModel model, string streamId, long step, byte[]? entry, bool restarted, int partition, long offset, CancellationToken cancellationToken);
}
