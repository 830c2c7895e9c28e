using Streaming.Ml.Capture;
using Streaming.Ml.Persistence;

namespace Streaming.UnitTests.Ml;

[Collection(MlCollection.Name)]
public sealed class ModelStoreTests(TrainedModelFixture fixture) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "streaming-ml-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void SaveThenLoad_RoundTrip_GivesIdenticalPredictionsAndManifest()
    {
        ModelStore.Save(_directory, fixture.Model, fixture.Manifest);
        var (loaded, manifest) = ModelStore.LoadSmallCnn(_directory);
        using var _ = loaded;

        using var original = new ActivationCapture(fixture.Model, LayerCaptureSpec.SmallCnnDefaults);
        using var reloaded = new ActivationCapture(loaded, manifest.CaptureSpecs());
        using var images = fixture.Test.ImagesTensor(0, 64);
        var a = original.Run(images);
        var b = reloaded.Run(images);

        Assert.Equal(a.PredictedClasses, b.PredictedClasses);
        Assert.Equal(a.Layer("logits").Values, b.Layer("logits").Values);
        Assert.Equal(fixture.Manifest.Name, manifest.Name);
        Assert.Equal(fixture.Manifest.TestAccuracy, manifest.TestAccuracy);
        Assert.Equal(fixture.Manifest.TrainedAt, manifest.TrainedAt);
        Assert.Equal(fixture.Manifest.Layers.Select(l => (l.Name, l.Reduction, l.VectorDim)), manifest.Layers.Select(l => (l.Name, l.Reduction, l.VectorDim)));
        Assert.Equal([32, 26, 26], manifest.Layers[0].Shape);
    }

    [Fact]
    public void Save_WritesReadableJsonWithEnumNames()
    {
        ModelStore.Save(_directory, fixture.Model, fixture.Manifest);

        var json = File.ReadAllText(Path.Combine(_directory, ModelStore.ManifestFileName));
        Assert.Contains("\"GlobalAveragePool\"", json);
        Assert.Contains("\"vectorDim\": 32", json);
    }

    [Fact]
    public void LoadSmallCnn_CorruptManifest_ThrowsNamingFile()
    {
        ModelStore.Save(_directory, fixture.Model, fixture.Manifest);
        var path = Path.Combine(_directory, ModelStore.ManifestFileName);
        File.WriteAllText(path, "{ \"name\": \"small-cnn\", \"layers\": [ ");

        var ex = Assert.Throws<InvalidDataException>(() => ModelStore.LoadSmallCnn(_directory));

        Assert.Contains(path, ex.Message);
        Assert.Contains("not valid", ex.Message);
    }

    [Fact]
    public void LoadSmallCnn_ManifestWithoutLayers_ThrowsSayingWhatIsMissing()
    {
        ModelStore.Save(_directory, fixture.Model, fixture.Manifest);
        File.WriteAllText(Path.Combine(_directory, ModelStore.ManifestFileName), "{ \"name\": \"m\", \"version\": \"1\", \"testAccuracy\": 0.9 }");

        var ex = Assert.Throws<InvalidDataException>(() => ModelStore.LoadSmallCnn(_directory));

        Assert.Contains("'layers' is missing", ex.Message);
    }

    [Fact]
    public void LoadSmallCnn_CorruptWeights_ThrowsNamingFile()
    {
        ModelStore.Save(_directory, fixture.Model, fixture.Manifest);
        var weights = Path.Combine(_directory, ModelStore.WeightsFileName);
        File.WriteAllBytes(weights, [1, 2, 3]);

        var ex = Assert.Throws<InvalidDataException>(() => ModelStore.LoadSmallCnn(_directory));

        Assert.Contains(weights, ex.Message);
    }

    [Fact]
    public void LoadSmallCnn_MissingDirectory_ThrowsFileNotFoundNamingManifest()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => ModelStore.LoadSmallCnn(_directory));

        Assert.Contains(Path.Combine(_directory, ModelStore.ManifestFileName), ex.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
