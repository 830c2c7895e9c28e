using Streaming.Ml.Models;

namespace Streaming.Lab.TorchScriptExport;

/// <summary>
/// <see cref="ResNetSmall"/> as a TorchScript module in eval mode: batch norm with the running statistics,
/// returning <c>(logits, stem, block1, block2, block3, block4)</c>, the outputs its capture hooks see.
/// The block strides are those of the ResNetSmall constructor; a shortcut is written where the model has one.
/// </summary>
internal static class ResNetSmallTorchScript
{
    /// <summary>TorchSharp's BatchNorm2d defaults (eps 1e-5, momentum 0.1), which ResNetSmall uses, as TorchScript literals.</summary>
    private const string BatchNormEpsilon = "1e-05";
    private const string BatchNormMomentum = "0.1";

    private static readonly (string Name, int Stride)[] Blocks = [("block1", 1), ("block2", 2), ("block3", 2), ("block4", 1)];

    public static TorchScriptModule Module(ResNetSmall model)
    {
        var t = new NativeTensors(model);
        var forward = new List<string>
        {
            $"stem = torch.relu({BatchNorm(t, "stem.bn", Conv(t, "images", "stem.conv", 1, 1))})",
        };
        var input = "stem";
        foreach (var (block, stride) in Blocks)
        {
            forward.Add($"{block}_h = torch.relu({BatchNorm(t, $"{block}.bn1", Conv(t, input, $"{block}.conv1", stride, 1))})");
            forward.Add($"{block}_r = {BatchNorm(t, $"{block}.bn2", Conv(t, $"{block}_h", $"{block}.conv2", 1, 1))}");
            var identity = t.HasParameter($"{block}.shortcut.conv.weight")
                ? BatchNorm(t, $"{block}.shortcut.bn", Conv(t, input, $"{block}.shortcut.conv", stride, 0))
                : input;
            forward.Add($"{block} = torch.relu(torch.add({block}_r, {identity}))");
            input = block;
        }

        forward.Add($"logits = torch.linear(torch.mean(block4, [2, 3]), {t.Parameter("logits.weight")}, {t.Parameter("logits.bias")})");
        return new TorchScriptModule(ResNetSmall.ArchitectureName, t.Parameters, t.Buffers, forward, ["logits", "stem", "block1", "block2", "block3", "block4"]);
    }

    /// <summary>A bias-free convolution, as every conv of ResNetSmall is.</summary>
    private static string Conv(NativeTensors t, string input, string layer, int stride, int padding) =>
        $"torch.conv2d({input}, {t.Parameter(layer + ".weight")}, None, [{stride}, {stride}], [{padding}, {padding}])";

    private static string BatchNorm(NativeTensors t, string layer, string input) =>
        $"torch.batch_norm({input}, {t.Parameter(layer + ".weight")}, {t.Parameter(layer + ".bias")}, {t.Buffer(layer + ".running_mean")}, {t.Buffer(layer + ".running_var")}, False, {BatchNormMomentum}, {BatchNormEpsilon}, True)";
}
