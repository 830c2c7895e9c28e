using Streaming.Lab.Data;
using Streaming.Ml.Capture;
using Streaming.Ml.Models;
using Streaming.Ml.Persistence;
using Streaming.Ml.Serving;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.UnitTests.Ml.Models;

/// <summary>Every catalog model: the manifest's layer names and shapes are what capture really produces.</summary>
[Collection(MlCollection.Name)]
public sealed class ModelCatalogCaptureTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "streaming-models-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> ModelNames => new(ModelCatalog.Names);

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void DescribeLayers_EveryCatalogModel_MatchesCapturedVectors(string name)
    {
        var definition = ModelCatalog.Get(name);
        using var model = definition.Create(1);
        model.eval();
        using var capture = new ActivationCapture(model, definition.DefaultCapture);
        var described = capture.DescribeLayers(definition.InputShape);
        using var images = rand([5, .. definition.InputShape]);

        var result = capture.Run(images);

        Assert.Equal(definition.DefaultCapture.Select(s => s.Layer), described.Select(l => l.Name));
        Assert.Equal(described.Select(l => (l.Name, l.VectorDim)), result.Layers.Select(l => (l.Layer, l.Dim)));
        Assert.All(result.Layers, l => Assert.Equal(5 * l.Dim, l.Values.Length));
        Assert.All(result.Layers, l => Assert.All(l.Values, v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void DescribeLayers_ResNetSmall_EarlyLayersAreWideDeepLayersAreCoarse()
    {
        var definition = ModelCatalog.Get(ModelCatalog.ResNetSmallName);
        using var model = definition.Create(1);
        using var capture = new ActivationCapture(model, definition.DefaultCapture);

        var shapes = capture.DescribeLayers(definition.InputShape).ToDictionary(l => l.Name, l => l.Shape);

        Assert.Equal([16, 28, 28], shapes["stem"]);
        Assert.Equal([16, 28, 28], shapes["block1"]);
        Assert.Equal([32, 14, 14], shapes["block2"]);
        Assert.Equal([64, 7, 7], shapes["block3"]);
        Assert.Equal([64, 7, 7], shapes["block4"]);
        Assert.Equal([10], shapes["logits"]);
    }

    [Fact]
    public void Run_Autoencoder_ReconErrorIsEachInputsMeanSquaredError()
    {
        var definition = ModelCatalog.Get(ModelCatalog.AutoencoderName);
        using var model = definition.Create(2);
        model.eval();
        using var capture = new ActivationCapture(model, definition.DefaultCapture);
        using var images = rand([3, 1, 28, 28]);
        float[] expected;
        using (var inference = torch.inference_mode())
        using (var reconstruction = model.call(images))
        using (var error = (reconstruction - images).square().flatten(1).mean([1L]))
        {
            expected = error.data<float>().ToArray();
        }

        var result = capture.Run(images);

        var recon = result.Layer("recon_error");
        Assert.Equal(1, recon.Dim);
        for (var i = 0; i < 3; i++)
            Assert.Equal(expected[i], recon.Values[i], 5);
        Assert.All(result.PredictedClasses, c => Assert.Equal(ActivationCapture.NoClass, c));
    }

    [Theory]
    [InlineData(ModelCatalog.ResNetSmallName)]
    [InlineData(ModelCatalog.AutoencoderName)]
    public void SaveThenLoad_CatalogModel_ManifestShapesMatchAndCaptureIsIdentical(string name)
    {
        var definition = ModelCatalog.Get(name);
        using var model = definition.Create(3);
        model.eval();
        using var capture = new ActivationCapture(model, definition.DefaultCapture);
        var manifest = new ModelManifest(name, "t1", ImageDatasets.Mnist, 0.5, DateTimeOffset.UtcNow, capture.DescribeLayers(definition.InputShape), 0.01);
        ModelStore.Save(_directory, model, manifest);
        using var images = rand([4, 1, 28, 28]);
        var before = capture.Run(images);

        using var runner = ModelRunner.Load(_directory);
        var after = runner.Run(images.flatten().data<float>().ToArray(), 4);

        Assert.Equal(manifest.Layers.Select(l => (l.Name, string.Join("x", l.Shape), l.VectorDim)),
            runner.Layers.Select(l => (l.Name, string.Join("x", l.Shape), l.VectorDim)));
        Assert.Equal(0.01, runner.Manifest.ReconstructionMse);
        foreach (var layer in before.Layers)
        {
            for (var i = 0; i < 4; i++)
                Assert.Equal(layer.Vector(i), after[i].Layers[layer.Layer]);
        }
    }

    [Fact]
    public void ActivationCapture_UnknownLayer_ThrowsNamingLayerAndAvailableOnes()
    {
        using var model = ModelCatalog.Get(ModelCatalog.ResNetSmallName).Create(1);

        var ex = Assert.Throws<ArgumentException>(() => new ActivationCapture(model, [new LayerCaptureSpec("block9", LayerReduction.Flatten)]));

        Assert.Contains("'block9'", ex.Message);
        Assert.Contains("block4", ex.Message);
    }

    [Fact]
    public void Load_ManifestNamingUnknownModel_ThrowsNamingModelAndKnownOnes()
    {
        using var model = SmallCnn.Create(1);
        using var capture = new ActivationCapture(model, LayerCaptureSpec.SmallCnnDefaults);
        ModelStore.Save(_directory, model, new ModelManifest("vgg-99", "t1", "mnist", 0.5, DateTimeOffset.UtcNow, capture.DescribeLayers([1, 28, 28])));

        var ex = Assert.Throws<InvalidDataException>(() => ModelStore.Load(_directory));

        Assert.Contains("'vgg-99'", ex.Message);
        Assert.Contains(ModelCatalog.ResNetSmallName, ex.Message);
    }

    [Fact]
    public void Get_UnknownModel_ThrowsListingKnownModels()
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelCatalog.Get("resnet-huge"));

        Assert.Contains("resnet-huge", ex.Message);
        Assert.Contains(ModelCatalog.AutoencoderName, ex.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }
}
