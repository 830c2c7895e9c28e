using Streaming.Ml.Capture;
using Streaming.Ml.Models;

namespace Streaming.Lab.TorchScriptExport;

/// <summary>
/// <see cref="SmallCnn"/> as a TorchScript module: its weights and a forward written in TorchScript source
/// with the same ops, returning <c>(logits, conv1, conv2, fc1)</c>, the tensors <see cref="ActivationCapture"/>'s
/// hooks see on the native model (each layer's output before its ReLU).
/// </summary>
internal static class SmallCnnTorchScript
{
    public static TorchScriptModule Module(SmallCnn model)
    {
        var t = new NativeTensors(model);
        string[] forward =
        [
            $"conv1 = torch.conv2d(images, {t.Parameter("conv1.weight")}, {t.Parameter("conv1.bias")})",
            "x = torch.max_pool2d(torch.relu(conv1), [2, 2], [2, 2])",
            $"conv2 = torch.conv2d(x, {t.Parameter("conv2.weight")}, {t.Parameter("conv2.bias")})",
            "x0 = torch.max_pool2d(torch.relu(conv2), [2, 2], [2, 2])",
            $"fc1 = torch.linear(torch.flatten(x0, 1), {t.Parameter("fc1.weight")}, {t.Parameter("fc1.bias")})",
            $"logits = torch.linear(torch.relu(fc1), {t.Parameter("logits.weight")}, {t.Parameter("logits.bias")})",
        ];
        return new TorchScriptModule(SmallCnn.ArchitectureName, t.Parameters, t.Buffers, forward, ["logits", "conv1", "conv2", "fc1"]);
    }
}
