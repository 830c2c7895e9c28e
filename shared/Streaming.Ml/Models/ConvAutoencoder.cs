using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Ml.Models;

/// <summary>
/// A convolutional autoencoder for 28x28 grey images. encoder1 (conv 16, stride 2, 14x14),
/// encoder2 (conv 32, stride 2, 7x7), bottleneck (linear to 32), decoder1 (transposed conv 16, 14x14),
/// decoder2 (transposed conv 1 + sigmoid, 28x28), and recon_error: each input's mean squared
/// reconstruction error as a 1-d vector. The forward output is the reconstruction, not class scores.
/// </summary>
public sealed class ConvAutoencoder : nn.Module<Tensor, Tensor>
{
    public const string ArchitectureName = "ConvAutoencoder";
    public const int BottleneckSize = 32;

#pragma warning disable IDE1006, SA1300 // registered submodule names, PyTorch style
    private readonly Sequential encoder1;
    private readonly Sequential encoder2;
    private readonly Linear bottleneck;
    private readonly Linear expand;
    private readonly Sequential decoder1;
    private readonly Sequential decoder2;
    private readonly ReconstructionError recon_error;
#pragma warning restore IDE1006, SA1300

    public ConvAutoencoder()
        : base(ArchitectureName)
    {
        encoder1 = nn.Sequential(("conv", nn.Conv2d(1, 16, kernel_size: 3, stride: 2, padding: 1)), ("relu", nn.ReLU()));
        encoder2 = nn.Sequential(("conv", nn.Conv2d(16, 32, kernel_size: 3, stride: 2, padding: 1)), ("relu", nn.ReLU()));
        bottleneck = nn.Linear(32 * 7 * 7, BottleneckSize);
        expand = nn.Linear(BottleneckSize, 32 * 7 * 7);
        decoder1 = nn.Sequential(
            ("deconv", nn.ConvTranspose2d(32, 16, kernel_size: 3, stride: 2, padding: 1, output_padding: 1)),
            ("relu", nn.ReLU()));
        decoder2 = nn.Sequential(
            ("deconv", nn.ConvTranspose2d(16, 1, kernel_size: 3, stride: 2, padding: 1, output_padding: 1)),
            ("sigmoid", nn.Sigmoid()));
        recon_error = new ReconstructionError();
        RegisterComponents();
    }

    /// <summary>The default capturable layers, input to output.</summary>
    public static IReadOnlyList<string> LayerNames { get; } = ["encoder1", "encoder2", "bottleneck", "decoder1", "recon_error"];

    public static ConvAutoencoder Create(int seed)
    {
        torch.manual_seed(seed);
        return new ConvAutoencoder();
    }

    public override Tensor forward(Tensor input)
    {
        // No dispose scope: capture hooks keep intermediate outputs, so the caller's scope owns them.
        var code = bottleneck.call(encoder2.call(encoder1.call(input)).flatten(1));
        var x = nn.functional.relu(expand.call(code)).view(-1, 32, 7, 7);
        var reconstruction = decoder2.call(decoder1.call(x));

        // Computed on every pass (a few hundred flops per image) so it can be captured like any layer.
        recon_error.call(torch.cat([input, reconstruction], 1));
        return reconstruction;
    }
}
