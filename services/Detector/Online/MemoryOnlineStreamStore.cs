using Streaming.Detection.Online;

namespace Streaming.Detector.Online;

/// <summary>Detector:Online:State = Memory: the consumer's own dictionary is the only state.</summary>
internal sealed class MemoryOnlineStreamStore : IOnlineStreamStore
{
    public bool Persists => false;

    public Task<StoredOnlineStream?> LoadAsync(OnlineMmdModel model, string streamId, CancellationToken cancellationToken) =>
        Task.FromResult<StoredOnlineStream?>(null);

    public Task SaveAsync(OnlineMmdModel model, string streamId, long step, byte[]? entry, bool restarted, int partition, long offset, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
