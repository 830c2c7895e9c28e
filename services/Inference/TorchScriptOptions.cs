namespace Streaming.Inference;

/// <summary>
/// A TorchScript model to serve instead of a `control train` folder (section "Inference:TorchScript").
/// Its forward takes [N,1,28,28] images in [0,1] and returns a tensor or a tuple of tensors; Outputs:N
/// names and reduces tuple element N (output 0 is also the class scores). Inner layers of a script
/// module cannot be hooked from TorchSharp, so only what forward returns can be captured.
/// </summary>
public sealed class TorchScriptOptions
{
    public const string SectionName = InferenceOptions.SectionName + ":TorchScript";

    /// <summary>The .pt file (torch.jit.save, or `control export-torchscript`).</summary>
    public string Path { get; set; } = "";

    /// <summary>The model name events carry; the file name without extension when empty.</summary>
    public string ModelName { get; set; } = "";

    /// <summary>One entry per tensor the forward returns, in order: layer name, reduction, projection settings.</summary>
    public List<LayerOptions> Outputs { get; set; } = [];
}
