using StackExchange.Redis;
using Streaming.Detection;

namespace Streaming.ReferenceRegistry;

/// <summary>
/// The reference registry in Redis (keys: <see cref="ReferenceKeys"/>). A reference is published as
/// a candidate after its file is checked (it parses, it is of the declared model and version, its
/// layers and dimensions match the model's references already there); activating it retires the
/// active one of its model version in the same transaction; every change increments the version
/// counter readers poll. Data and metadata are written together, so a reader never sees one without
/// the other; its checksum is verified on every load.
/// </summary>
public sealed class ReferenceRegistryStore
{
    private const int TransactionAttempts = 10;
    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _time;

    public ReferenceRegistryStore(IConnectionMultiplexer redis, string keyPrefix = ReferenceKeys.DefaultPrefix, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPrefix);
        _redis = redis;
        _time = time ?? TimeProvider.System;
        Keys = new ReferenceKeys(keyPrefix);
    }

    public ReferenceKeys Keys { get; }

    private IDatabase Db => _redis.GetDatabase();

    /// <summary>
    /// Checks and stores a reference file as a candidate; publishing the same bytes again returns the
    /// reference already there. Refused (<see cref="ReferenceRejectedException"/>, naming what is wrong)
    /// when the bytes are not a valid reference file, when <paramref name="expectedModel"/> or
    /// <paramref name="expectedVersion"/> (null: any) differ from the file's, or when its layers or
    /// dimensions differ from the model's references already published (unless <paramref name="allowLayerChange"/>).
    /// </summary>
    /// <param name="source">Where the clean inputs came from; empty: the file's calibration source, if any.</param>
    public async Task<ReferenceMetadata> PublishAsync(byte[] file, string source, string? expectedModel = null, string? expectedVersion = null, bool allowLayerChange = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ReferenceSet reference;
        try
        {
            reference = ReferenceFile.FromBytes(file, "to publish");
        }
        catch (InvalidDataException ex)
        {
            throw new ReferenceRejectedException($"Reference refused: {ex.Message}", ex);
        }
        if (string.IsNullOrWhiteSpace(reference.Model))
            throw new ReferenceRejectedException("Reference refused: it names no model.");
        if (expectedModel is not null && !string.Equals(expectedModel, reference.Model, StringComparison.Ordinal))
            throw new ReferenceRejectedException($"Reference refused: it is of model '{reference.Model}', not '{expectedModel}'.");
        if (expectedVersion is not null && !string.Equals(expectedVersion, reference.ModelVersion, StringComparison.Ordinal))
            throw new ReferenceRejectedException($"Reference refused: it is of model version '{reference.ModelVersion}', not '{expectedVersion}'.");

        var checksum = ReferenceIds.Checksum(file);
        var id = ReferenceIds.Create(reference.Model, reference.ModelVersion, checksum);
        if (await GetAsync(id, cancellationToken) is { } already)
            return already;

        if (!allowLayerChange)
        {
            var models = (await ListAsync(reference.Model, cancellationToken)).Where(m => m.State != ReferenceState.Retired).OrderByDescending(m => m.State == ReferenceState.Active).ThenByDescending(m => m.PublishedAt);
            if (models.FirstOrDefault() is { } existing && ReferenceCompatibility.Problem(reference, existing) is { } problem)
                throw new ReferenceRejectedException($"Reference refused: {problem}. Its windows would drop every event; publish with --allow-layer-change if the model's layers really changed.");
        }

        var metadata = new ReferenceMetadata(
            id,
            reference.Model,
            reference.ModelVersion,
            [.. reference.Layers.Select(l => new ReferenceLayerInfo(l.Layer, l.Count, l.Dimension, l.Bandwidth))],
            reference.Layers[0].Count,
            string.IsNullOrWhiteSpace(source) ? reference.Calibration?.Source ?? "" : source,
            reference.CreatedAt,
            _time.GetUtcNow(),
            checksum,
            ReferenceState.Candidate,
            file.LongLength)
        {
            HasCalibration = reference.HasCalibration,
        };
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(Keys.Metadata(id)));
        _ = transaction.StringSetAsync(Keys.Data(id), file);
        _ = transaction.HashSetAsync(Keys.Metadata(id), MetadataFields.Write(metadata));
        _ = transaction.SetAddAsync(Keys.Ids, id);
        _ = transaction.StringIncrementAsync(Keys.Version);
        if (!await transaction.ExecuteAsync().WaitAsync(cancellationToken))
            return await GetAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Publishing reference {id} raced with its removal.");
        return metadata;
    }

    /// <summary>Every reference (of <paramref name="model"/> when given), by model, version and publication time.</summary>
    public async Task<IReadOnlyList<ReferenceMetadata>> ListAsync(string? model = null, CancellationToken cancellationToken = default)
    {
        var ids = await Db.SetMembersAsync(Keys.Ids).WaitAsync(cancellationToken);
        var batch = Db.CreateBatch();
        var reads = ids.Select(id => batch.HashGetAllAsync(Keys.Metadata(id.ToString()))).ToArray();
        batch.Execute();
        var all = await Task.WhenAll(reads).WaitAsync(cancellationToken);
        return [.. all.Select(MetadataFields.Read).OfType<ReferenceMetadata>()
            .Where(m => model is null || string.Equals(m.Model, model, StringComparison.Ordinal))
            .OrderBy(m => m.Model, StringComparer.Ordinal).ThenBy(m => m.Version, StringComparer.Ordinal).ThenBy(m => m.PublishedAt)];
    }

    public async Task<ReferenceMetadata?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return MetadataFields.Read(await Db.HashGetAllAsync(Keys.Metadata(id)).WaitAsync(cancellationToken));
    }

    /// <summary>The reference of that id, or a <see cref="ReferenceNotFoundException"/> naming it.</summary>
    public async Task<ReferenceMetadata> RequireAsync(string id, CancellationToken cancellationToken = default) =>
        await GetAsync(id, cancellationToken) ?? throw new ReferenceNotFoundException($"No reference '{id}' in the registry; `control references list` shows them.");

    /// <summary>Makes <paramref name="id"/> the active reference of its model version; the one active before is retired.</summary>
    public async Task<ReferenceMetadata> ActivateAsync(string id, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < TransactionAttempts; attempt++)
        {
            var metadata = await RequireAsync(id, cancellationToken);
            var field = ReferenceKeys.ActiveField(metadata.Model, metadata.Version);
            var current = await Db.HashGetAsync(Keys.Active, field).WaitAsync(cancellationToken);
            if (current == id && metadata.State == ReferenceState.Active)
                return metadata;
            var transaction = Db.CreateTransaction();
            transaction.AddCondition(current.IsNull ? Condition.HashNotExists(Keys.Active, field) : Condition.HashEqual(Keys.Active, field, current));
            transaction.AddCondition(Condition.HashEqual(Keys.Metadata(id), MetadataFields.State, MetadataFields.StateName(metadata.State)));
            _ = transaction.HashSetAsync(Keys.Active, field, id);
            _ = transaction.HashSetAsync(Keys.Metadata(id), MetadataFields.State, MetadataFields.StateName(ReferenceState.Active));
            if (!current.IsNull && current != id)
                _ = transaction.HashSetAsync(Keys.Metadata(current.ToString()), MetadataFields.State, MetadataFields.StateName(ReferenceState.Retired));
            _ = transaction.StringIncrementAsync(Keys.Version);
            if (await transaction.ExecuteAsync().WaitAsync(cancellationToken))
                return metadata with { State = ReferenceState.Active };
        }
        throw new InvalidOperationException($"Activating reference {id} kept racing with other changes of the registry; try again.");
    }

    /// <summary>Retires <paramref name="id"/>; when it was active, its model version has no active reference afterwards.</summary>
    public async Task<ReferenceMetadata> RetireAsync(string id, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < TransactionAttempts; attempt++)
        {
            var metadata = await RequireAsync(id, cancellationToken);
            if (metadata.State == ReferenceState.Retired)
                return metadata;
            var field = ReferenceKeys.ActiveField(metadata.Model, metadata.Version);
            var current = await Db.HashGetAsync(Keys.Active, field).WaitAsync(cancellationToken);
            var transaction = Db.CreateTransaction();
            transaction.AddCondition(current.IsNull ? Condition.HashNotExists(Keys.Active, field) : Condition.HashEqual(Keys.Active, field, current));
            transaction.AddCondition(Condition.HashEqual(Keys.Metadata(id), MetadataFields.State, MetadataFields.StateName(metadata.State)));
            if (current == id)
                _ = transaction.HashDeleteAsync(Keys.Active, field);
            _ = transaction.HashSetAsync(Keys.Metadata(id), MetadataFields.State, MetadataFields.StateName(ReferenceState.Retired));
            _ = transaction.StringIncrementAsync(Keys.Version);
            if (await transaction.ExecuteAsync().WaitAsync(cancellationToken))
                return metadata with { State = ReferenceState.Retired };
        }
        throw new InvalidOperationException($"Retiring reference {id} kept racing with other changes of the registry; try again.");
    }

    /// <summary>The reference file's bytes, checked against the checksum recorded at publication.</summary>
    public async Task<byte[]> ExportAsync(string id, CancellationToken cancellationToken = default)
    {
        var metadata = await RequireAsync(id, cancellationToken);
        byte[]? bytes = await Db.StringGetAsync(Keys.Data(id)).WaitAsync(cancellationToken);
        if (bytes is null)
            throw new InvalidDataException($"Reference {id}: its file is missing from the registry (key {Keys.Data(id)}).");
        var checksum = ReferenceIds.Checksum(bytes);
        if (!string.Equals(checksum, metadata.Checksum, StringComparison.Ordinal))
            throw new InvalidDataException($"Reference {id}: its file's checksum is {checksum[..ReferenceIds.ChecksumDigitsInId]}…, not {metadata.Checksum[..ReferenceIds.ChecksumDigitsInId]}… as published (corrupted in the store).");
        return bytes;
    }

    /// <summary>The reference itself (checksum verified, file checked as <see cref="ReferenceFile.Load"/> does).</summary>
    public async Task<ReferenceSet> LoadAsync(string id, CancellationToken cancellationToken = default) =>
        ReferenceFile.FromBytes(await ExportAsync(id, cancellationToken), $"registry:{id}");

    /// <summary>The version counter (0 before the first change).</summary>
    public async Task<long> VersionAsync(CancellationToken cancellationToken = default)
    {
        var value = await Db.StringGetAsync(Keys.Version).WaitAsync(cancellationToken);
        return value.IsNull ? 0 : (long)value;
    }

    /// <summary>The active references with their metadata, read with the version counter they belong to.</summary>
    public async Task<ActiveReferences> ActiveAsync(CancellationToken cancellationToken = default)
    {
        // The version is read first: a change after it increments the counter, so the next poll reads again.
        var version = await VersionAsync(cancellationToken);
        var active = await Db.HashGetAllAsync(Keys.Active).WaitAsync(cancellationToken);
        var metadata = await Task.WhenAll(active.Select(entry => GetAsync(entry.Value.ToString(), cancellationToken)));
        return new ActiveReferences(version, metadata.OfType<ReferenceMetadata>());
    }
}
