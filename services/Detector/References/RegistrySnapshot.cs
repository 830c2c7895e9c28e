using Streaming.ReferenceRegistry;

namespace Streaming.Detector.References;

/// <summary>
/// The active references as last read from the registry. <see cref="RegistryPoller"/> refreshes it
/// when the registry's version counter moves (polled every Detector:Registry:PollInterval); until
/// the first read succeeds, <see cref="CurrentAsync"/> reads it itself, so no window is reported
/// uncalibrated because the Detector has not looked yet.
/// </summary>
public sealed partial class RegistrySnapshot(ReferenceRegistryStore store, ILogger<RegistrySnapshot> logger)
{
    private volatile ActiveReferences _current = ActiveReferences.Empty;

    public ActiveReferences Current => _current;

    public async Task<ActiveReferences> CurrentAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        return current.RegistryVersion >= 0 ? current : await RefreshAsync(cancellationToken);
    }

    /// <summary>Reads the active references again when the version counter differs from the snapshot's.</summary>
    public async Task<ActiveReferences> RefreshAsync(CancellationToken cancellationToken)
    {
        var version = await store.VersionAsync(cancellationToken);
        var current = _current;
        if (version == current.RegistryVersion)
            return current;
        var read = await store.ActiveAsync(cancellationToken);
        _current = read;
        LogRead(read.RegistryVersion, read.All.Count, string.Join(", ", read.All.Select(m => m.Id).Order(StringComparer.Ordinal)));
        return read;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reference registry version {Version}: {Count} active reference(s): {Ids}")]
    private partial void LogRead(long version, int count, string ids);
}
