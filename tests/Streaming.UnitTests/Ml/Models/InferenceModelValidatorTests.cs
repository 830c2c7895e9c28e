using Streaming.Inference;

namespace Streaming.UnitTests.Ml.Models;

/// <summary>Which model Inference serves: exactly one source, checked at start with messages naming the key.</summary>
public sealed class InferenceModelValidatorTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();
    private readonly InferenceModelValidator _validator = new();

    [Fact]
    public void Validate_ModelDirectoryOnly_Succeeds()
    {
        var result = _validator.Validate(null, new InferenceOptions { ModelDirectory = Path.GetTempPath() });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_TorchScriptWithOutputs_Succeeds()
    {
        var result = _validator.Validate(null, TorchScript(_file, new LayerOptions { Name = "logits" }));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_NeitherSource_FailsNamingBothKeys()
    {
        var result = _validator.Validate(null, new InferenceOptions());

        Assert.True(result.Failed);
        Assert.Contains("Inference:ModelDirectory is required", result.FailureMessage);
        Assert.Contains("Inference:TorchScript:Path", result.FailureMessage);
    }

    [Fact]
    public void Validate_BothSources_FailsSayingOnlyOne()
    {
        var options = TorchScript(_file, new LayerOptions { Name = "logits" });
        options.ModelDirectory = Path.GetTempPath();

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Inference:ModelDirectory and Inference:TorchScript:Path are both set", result.FailureMessage);
    }

    [Fact]
    public void Validate_TorchScriptMissingFileNoOutputsAndLayers_ReportsEachKey()
    {
        var options = TorchScript("/nonexistent/model.pt");
        options.Layers.Add(new LayerOptions { Name = "conv1" });

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Inference:TorchScript:Path '/nonexistent/model.pt' does not exist", result.FailureMessage);
        Assert.Contains("Inference:TorchScript:Outputs is empty", result.FailureMessage);
        Assert.Contains("Inference:Layers names submodules of native models", result.FailureMessage);
    }

    [Fact]
    public void CaptureSpecs_TorchScriptOutputsWithDuplicateAndMissingName_ThrowsNamingOutputKeys()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ModelHost.CaptureSpecs(
            [new LayerOptions { Name = "logits" }, new LayerOptions { Name = "logits" }, new LayerOptions()],
            "m", available: null, "Inference:TorchScript:Outputs"));

        Assert.Contains("Inference:TorchScript:Outputs:1:Name 'logits' is listed more than once", ex.Message);
        Assert.Contains("Inference:TorchScript:Outputs:2:Name is required", ex.Message);
    }

    public void Dispose() => File.Delete(_file);

    private static InferenceOptions TorchScript(string path, params LayerOptions[] outputs) =>
        new() { TorchScript = new TorchScriptOptions { Path = path, Outputs = [.. outputs] } };
}
