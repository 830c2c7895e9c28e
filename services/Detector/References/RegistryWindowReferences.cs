using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Detection.WindowTest;
using Streaming.ReferenceRegistry;

namespace Streaming.Detector.References;

/// <summary>
/// Registry mode: a window is tested against the active reference of its model version, loaded on
/// first use to the compute device and kept in a cache bounded by Detector:Registry:CacheMegabytes
/// (least recently used evicted first). When the registry changes (<see cref="RegistrySnapshot"/>),
/// references no longer active are dropped and the next window of their model version uses the new
/// one. A model version without an active reference is reported uncalibrated (or, with
/// Detector:Registry:VersionFallback, tested against its model's newest active reference); one whose
/// reference fails to load is reported reference_unavailable and tried again after
/// Detector:Registry:LoadRetryInterval, while every other reference keeps working.
/// </summary>
public sealed partial class RegistryWindowReferences : IWindowReferences, IDisposable
{
    private readonly RegistrySnapshot _snapshot;
    private readonly ReferenceRegistryStore _store;
    private readonly DetectorOptions _settings;
    private readonly DetectorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<RegistryWindowReferences> _logger;
    private readonly ILoggerFactory _loggers;
    private readonly MemoryLru<ReferenceTester> _cache;
    private readonly Dictionary<string, DateTimeOffset> _failedAt = new(StringComparer.Ordinal);
    private readonly WithoutReferenceLog _withoutReference;
    private long _seenVersion = -1;

    public RegistryWindowReferences(
        RegistrySnapshot snapshot,
        ReferenceRegistryStore store,
        IOptions<DetectorOptions> options,
        DetectorMetrics metrics,
        TimeProvider time,
        ILogger<RegistryWindowReferences> logger,
        ILoggerFactory loggers)
    {
        _snapshot = snapshot;
        _store = store;
        _settings = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _loggers = loggers;
        _cache = new MemoryLru<ReferenceTester>(_settings.Registry.CacheMegabytes * 1024L * 1024L, t => t.Bytes);
        _withoutReference = new WithoutReferenceLog(_settings.Registry.UncalibratedLogInterval, time, logger);
    }

    /// <summary>Ids of the references loaded now, most recently used first.</summary>
    public IReadOnlyList<string> Loaded => [.. _cache.Keys];

    public async Task<ReferenceResolution> ResolveAsync(EventHeader header, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(header);
        var active = await _snapshot.CurrentAsync(cancellationToken);
        if (active.RegistryVersion != _seenVersion)
            OnRegistryChanged(active);

        var (model, version) = (header.Model ?? "", header.ModelVersion ?? "");
        var metadata = active.Find(model, version);
        var fallback = false;
        if (metadata is null && _settings.Registry.VersionFallback && active.NewestOf(model) is { } newest)
            (metadata, fallback) = (newest, true);
        if (metadata is null)
            return Without(model, version, DetectionStatus.Uncalibrated);

        if (_cache.Get(metadata.Id) is { } loaded)
            return ReferenceResolution.Of(loaded, fallback);
        if (_failedAt.TryGetValue(metadata.Id, out var failedAt) && _time.GetUtcNow() - failedAt < _settings.Registry.LoadRetryInterval)
            return Without(model, version, DetectionStatus.ReferenceUnavailable);

        var tester = await LoadAsync(metadata, cancellationToken);
        if (tester is null)
            return Without(model, version, DetectionStatus.ReferenceUnavailable);
        foreach (var evicted in _cache.Add(metadata.Id, tester))
        {
            _metrics.RecordReferenceEvicted("memory");
            LogEvicted(evicted, "the cache is over Detector:Registry:CacheMegabytes", _cache.Bytes);
        }
        return ReferenceResolution.Of(tester, fallback);
    }

    public void Dispose() => _cache.Dispose();

    private ReferenceResolution Without(string model, string version, string status)
    {
        _metrics.RecordWithoutReference(model, version, status);
        _withoutReference.Note(model, version, status);
        return ReferenceResolution.Without(status);
    }

    /// <summary>Drops references no longer active and forgets load failures: a change may have fixed them.</summary>
    private void OnRegistryChanged(ActiveReferences active)
    {
        var ids = active.All.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var evicted in _cache.RemoveWhere(id => !ids.Contains(id)))
        {
            _metrics.RecordReferenceEvicted("inactive");
            LogEvicted(evicted, "it is no longer active", _cache.Bytes);
        }
        _failedAt.Clear();
        _seenVersion = active.RegistryVersion;
    }

    /// <returns>Null when the reference cannot be loaded (logged; its windows are reported reference_unavailable).</returns>
    private async Task<ReferenceTester?> LoadAsync(ReferenceMetadata metadata, CancellationToken cancellationToken)
    {
        try
        {
            var reference = await _store.LoadAsync(metadata.Id, cancellationToken);
            if (reference.Model != metadata.Model || reference.ModelVersion != metadata.Version)
                throw new InvalidDataException($"the file is of {reference.Model} {reference.ModelVersion}, its metadata says {metadata.Model} {metadata.Version}");
            var tester = new ReferenceTester(reference, metadata.Id, _settings, _loggers.CreateLogger<ReferenceTester>());
            _metrics.RecordReferenceLoad(loaded: true);
            _failedAt.Remove(metadata.Id);
            return tester;
        }
        catch (Exception ex) when (ex is InvalidDataException or ReferenceNotFoundException or ArgumentException)
        {
            _metrics.RecordReferenceLoad(loaded: false);
            _failedAt[metadata.Id] = _time.GetUtcNow();
            LogLoadFailed(metadata.Id, ex.Message, _settings.Registry.LoadRetryInterval.TotalSeconds);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reference {ReferenceId} cannot be loaded: {Reason}. Its windows are reported reference_unavailable (other references are unaffected); tried again in {Seconds} s or at the next registry change")]
    private partial void LogLoadFailed(string referenceId, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reference {ReferenceId} unloaded: {Reason} ({Bytes} bytes of references remain loaded)")]
    private partial void LogEvicted(string referenceId, string reason, long bytes);
}
