using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Ml.Models;

/// <summary>
/// A small ResNet for 28x28 grey images: stem (conv3x3 16 + BN + ReLU, 28x28), block1 (16, 28x28),
/// block2 (32, 14x14), block3 (64, 7x7), block4 (64, 7x7), global average pooling, logits.
/// stem/block1 are the early layers, block3/block4 the deep ones. Inner layers (block2.conv1, …) are
/// capturable too.
/// </summary>
public sealed class ResNetSmall : nn.Module<Tensor, Tensor>
{
    public const string ArchitectureName = "ResNetSmall";
    public const int ClassCount = 10;

#pragma warning disable IDE1006, SA1300 // registered submodule names, PyTorch style
    private readonly Sequential stem;
    private readonly ResidualBlock block1;
    private readonly ResidualBlock block2;
    private readonly ResidualBlock block3;
    private readonly ResidualBlock block4;
    private readonly Linear logits;
#pragma warning restore IDE1006, SA1300

    public ResNetSmall()
        : base(ArchitectureName)
    {
        stem = nn.Sequential(
            ("conv", nn.Conv2d(1, 16, kernel_size: 3, padding: 1, bias: false)),
            ("bn", nn.BatchNorm2d(16)),
            ("relu", nn.ReLU()));
        block1 = new ResidualBlock("block1", 16, 16, stride: 1);
        block2 = new ResidualBlock("block2", 16, 32, stride: 2);
        block3 = new ResidualBlock("block3", 32, 64, stride: 2);
        block4 = new ResidualBlock("block4", 64, 64, stride: 1);
        logits = nn.Linear(64, ClassCount);
        RegisterComponents();
    }

    /// <summary>The default capturable layers, input to output.</summary>
    public static IReadOnlyList<string> LayerNames { get; } = ["stem", "block1", "block2", "block3", "block4", "logits"];

    public static ResNetSmall Create(int seed)
    {
        torch.manual_seed(seed);
        return new ResNetSmall();
    }

    public override Tensor forward(Tensor input)
    {
        // No dispose scope: capture hooks keep intermediate outputs, so the caller's scope owns them.
        var x = stem.call(input);
        x = block4.call(block3.call(block2.call(block1.call(x))));
        return logits.call(x.mean([2L, 3L]));
    }
}
