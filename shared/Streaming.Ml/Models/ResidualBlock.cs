using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Ml.Models;

/// <summary>
/// A basic ResNet block: conv3x3-BN-ReLU-conv3x3-BN plus the input (through a 1x1 conv + BN when the
/// stride or the channel count changes), then ReLU. Submodules run through call() so their hooks fire.
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006, SA1300 // registered submodule names, PyTorch style
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? shortcut;
#pragma warning restore IDE1006, SA1300

    public ResidualBlock(string name, int inChannels, int outChannels, int stride)
        : base(name)
    {
        conv1 = nn.Conv2d(inChannels, outChannels, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(outChannels);
        conv2 = nn.Conv2d(outChannels, outChannels, kernel_size: 3, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
        {
            shortcut = nn.Sequential(
                ("conv", nn.Conv2d(inChannels, outChannels, kernel_size: 1, stride: stride, bias: false)),
                ("bn", nn.BatchNorm2d(outChannels)));
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = nn.functional.relu(bn1.call(conv1.call(input)));
        x = bn2.call(conv2.call(x));
        var identity = shortcut is null ? input : shortcut.call(input);
        return nn.functional.relu(x + identity);
    }
}
