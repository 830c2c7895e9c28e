using Streaming.Inference;
using Streaming.Ml.Capture;
using Streaming.Ml.Models;

namespace Streaming.UnitTests.Ml.Models;

/// <summary>Inference:Layers: each bad entry is reported with its configuration key.</summary>
public sealed class ModelsInferenceLayersTests
{
    private static readonly string[] ResNetLayers = ["stem", "block1", "block1.conv1", "block4", "logits"];

    [Fact]
    public void CaptureSpecs_KnownLayers_KeepsOrderAndSettings()
    {
        var specs = ModelHost.CaptureSpecs(
            [
                new LayerOptions { Name = "block4", Reduction = LayerReduction.RandomProjection, ProjectionDim = 16, Seed = 9 },
                new LayerOptions { Name = "block1.conv1" },
            ],
            ModelCatalog.ResNetSmallName,
            ResNetLayers);

        Assert.Equal([new LayerCaptureSpec("block4", LayerReduction.RandomProjection, 16, 9), new LayerCaptureSpec("block1.conv1", LayerReduction.GlobalAveragePool)], specs);
    }

    [Fact]
    public void CaptureSpecs_UnknownLayer_ThrowsNamingKeyAndAvailableLayers()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ModelHost.CaptureSpecs(
            [new LayerOptions { Name = "stem" }, new LayerOptions { Name = "block9" }], ModelCatalog.ResNetSmallName, ResNetLayers));

        Assert.Contains("Inference:Layers:1:Name is 'block9'", ex.Message);
        Assert.Contains("block4", ex.Message);
    }

    [Fact]
    public void CaptureSpecs_ProjectionWithoutDimension_ThrowsNamingKey()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ModelHost.CaptureSpecs(
            [new LayerOptions { Name = "stem", Reduction = LayerReduction.RandomProjection }], ModelCatalog.ResNetSmallName, ResNetLayers));

        Assert.Contains("Inference:Layers:0:ProjectionDim", ex.Message);
    }
}
