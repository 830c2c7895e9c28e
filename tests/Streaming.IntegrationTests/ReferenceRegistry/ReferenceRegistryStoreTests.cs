using Streaming.Detection;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.ReferenceRegistry;

namespace Streaming.IntegrationTests.ReferenceRegistry;

/// <summary>The registry on a real redis-server: publication with its checks, states, version counter, export with checksum.</summary>
[Collection(RedisFixtureCollection.Name)]
public sealed class ReferenceRegistryStoreTests(RedisFixture redis)
{
    private readonly ReferenceRegistryStore _store = new(redis.Connection, $"test-{Guid.NewGuid():N}:");

    [Fact]
    public async Task PublishAsync_ValidFile_StoresCandidateWithItsMetadata()
    {
        var bytes = SyntheticReferences.Bytes("cnn", "v1", seed: 1);

        var published = await _store.PublishAsync(bytes, "images 0:300 of mnist");

        var read = await _store.RequireAsync(published.Id);
        Assert.Equal(ReferenceIds.Create("cnn", "v1", ReferenceIds.Checksum(bytes)), read.Id);
        Assert.StartsWith("cnn/v1/", read.Id, StringComparison.Ordinal);
        Assert.Equal(("cnn", "v1", 300, ReferenceState.Candidate), (read.Model, read.Version, read.Count, read.State));
        var layer = Assert.Single(read.Layers);
        Assert.Equal(("fc1", 300, 8), (layer.Name, layer.Count, layer.Dimension));
        Assert.True(layer.Bandwidth > 0);
        Assert.Equal("images 0:300 of mnist", read.Source);
        Assert.Equal(ReferenceIds.Checksum(bytes), read.Checksum);
        Assert.Equal(bytes.LongLength, read.Bytes);
        Assert.Equal(bytes, await _store.ExportAsync(read.Id));
        Assert.Equal(1, await _store.VersionAsync());
    }

    [Fact]
    public async Task PublishAsync_SameBytesTwice_IsOneReference()
    {
        var bytes = SyntheticReferences.Bytes("cnn", "v1", seed: 1);

        var first = await _store.PublishAsync(bytes, "");
        var second = await _store.PublishAsync(bytes, "");

        Assert.Equal(first.Id, second.Id);
        Assert.Single(await _store.ListAsync());
    }

    [Fact]
    public async Task PublishAsync_TruncatedFile_IsRefusedSayingSo()
    {
        var bytes = SyntheticReferences.Bytes("cnn", "v1", seed: 1);

        var error = await Assert.ThrowsAsync<ReferenceRejectedException>(() => _store.PublishAsync(bytes[..(bytes.Length / 2)], ""));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.ListAsync());
    }

    [Fact]
    public async Task PublishAsync_DimensionUnlikeTheModelsReferences_IsRefusedNamingLayerAndDimensions()
    {
        await _store.PublishAsync(SyntheticReferences.Bytes("cnn", "v1", seed: 1, dimension: 8), "");

        var error = await Assert.ThrowsAsync<ReferenceRejectedException>(() => _store.PublishAsync(SyntheticReferences.Bytes("cnn", "v2", seed: 2, dimension: 16), ""));

        Assert.Contains("layer 'fc1' has dimension 16, but model 'cnn' has 8", error.Message, StringComparison.Ordinal);
        Assert.Single(await _store.ListAsync());
    }

    [Fact]
    public async Task PublishAsync_LayerUnknownToTheModel_IsRefusedUnlessLayerChangeIsAllowed()
    {
        await _store.PublishAsync(SyntheticReferences.Bytes("cnn", "v1", seed: 1), "");
        var other = SyntheticReferences.Bytes("cnn", "v2", seed: 2, layer: "fc2");

        var error = await Assert.ThrowsAsync<ReferenceRejectedException>(() => _store.PublishAsync(other, ""));
        var allowed = await _store.PublishAsync(other, "", allowLayerChange: true);

        Assert.Contains("layer 'fc2' is not among the layers of model 'cnn' (fc1", error.Message, StringComparison.Ordinal);
        Assert.Equal("fc2", Assert.Single(allowed.Layers).Name);
    }

    [Fact]
    public async Task PublishAsync_OtherModelThanDeclared_IsRefusedNamingBoth()
    {
        var error = await Assert.ThrowsAsync<ReferenceRejectedException>(() => _store.PublishAsync(SyntheticReferences.Bytes("cnn", "v1", seed: 1), "", expectedModel: "resnet"));

        Assert.Contains("it is of model 'cnn', not 'resnet'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActivateAsync_SecondReferenceOfAVersion_RetiresTheFirstAndMovesTheVersion()
    {
        var first = await _store.PublishAsync(SyntheticReferences.Bytes("cnn", "v1", seed: 1), "");
        var second = await _store.PublishAsync(SyntheticReferences.Bytes("cnn", "v1", seed: 2), "");
        var other = await _store.PublishAsync(SyntheticReferences.Bytes("cnn", "v2", seed: 3), "");
        await _store.ActivateAsync(first.Id);
        await _store.ActivateAsync(other.Id);
        var before = await _store.VersionAsync();

        await _store.ActivateAsync(second.Id);

        Assert.Equal(ReferenceState.Retired, (await _store.RequireAsync(first.Id)).State);
        Assert.Equal(ReferenceState.Active, (await _store.RequireAsync(second.Id)).State);
        var active = await _store.ActiveAsync();
        Assert.Equal(second.Id, active.Find("cnn", "v1")?.Id);
        Assert.Equal(other.Id, active.Find("cnn", "v2")?.Id);
        Assert.Equal(before + 1, active.RegistryVersion);
    }

    [Fact]
    public async Task RetireAsync_ActiveReference_LeavesItsVersionWithoutOne()
    {
        var published = await _store.PublishAsync(SyntheticReferences.Bytes("cnn", "v1", seed: 1), "");
        await _store.ActivateAsync(published.Id);

        await _store.RetireAsync(published.Id);

        Assert.Null((await _store.ActiveAsync()).Find("cnn", "v1"));
        Assert.Equal(ReferenceState.Retired, (await _store.RequireAsync(published.Id)).State);
    }

    [Fact]
    public async Task ActiveReferences_NewestOf_IsTheMostRecentlyCreatedActiveVersion()
    {
        var old = await _store.PublishAsync(SyntheticReferences.Bytes("cnn", "v1", seed: 1), "");
        await Task.Delay(20);
        var newer = await _store.PublishAsync(SyntheticReferences.Bytes("cnn", "v2", seed: 2), "");
        await _store.ActivateAsync(newer.Id);
        await _store.ActivateAsync(old.Id);

        Assert.Equal(newer.Id, (await _store.ActiveAsync()).NewestOf("cnn")?.Id);
    }

    [Fact]
    public async Task LoadAsync_FileAlteredInRedis_FailsOnTheChecksum()
    {
        var published = await _store.PublishAsync(SyntheticReferences.Bytes("cnn", "v1", seed: 1), "");
        var altered = SyntheticReferences.Bytes("cnn", "v1", seed: 9);
        await redis.Connection.GetDatabase().StringSetAsync(_store.Keys.Data(published.Id), altered);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _store.LoadAsync(published.Id));

        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
        Assert.Contains("corrupted in the store", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireAsync_UnknownId_NamesItAndTheListCommand()
    {
        var error = await Assert.ThrowsAsync<ReferenceNotFoundException>(() => _store.RequireAsync("cnn/v9/000000000000"));

        Assert.Contains("'cnn/v9/000000000000'", error.Message, StringComparison.Ordinal);
        Assert.Contains("control references list", error.Message, StringComparison.Ordinal);
    }
}
