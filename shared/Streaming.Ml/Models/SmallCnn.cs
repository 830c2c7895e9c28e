using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Streaming.Ml.Capture;

namespace Streaming.Ml.Models;

/// <summary>
/// The demo classifier for 28x28 grey images: two conv blocks and two linear layers.
/// The field names (conv1, conv2, fc1, logits) are the registered submodule names, and so the
/// layer names that <see cref="ActivationCapture"/> accepts.
/// </summary>
public sealed class SmallCnn : nn.Module<Tensor, Tensor>
{
    public const string ArchitectureName = "SmallCnn";
    public const int ClassCount = 10;

    // Field names are registered as submodule names by RegisterComponents(): do not rename.
#pragma warning disable IDE1006, SA1300 // lower-case names are the PyTorch-style layer names
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Linear fc1;
    private readonly Linear logits;
#pragma warning restore IDE1006, SA1300

    public SmallCnn()
        : base(ArchitectureName)
    {
        conv1 = nn.Conv2d(1, 32, kernel_size: 3);
        conv2 = nn.Conv2d(32, 64, kernel_size: 3);
        fc1 = nn.Linear(64 * 5 * 5, 128);
        logits = nn.Linear(128, ClassCount);
        RegisterComponents();
    }

    /// <summary>The capturable layer names, input to output.</summary>
    public static IReadOnlyList<string> LayerNames { get; } = ["conv1", "conv2", "fc1", "logits"];

    /// <summary>A freshly initialised model whose weights depend only on <paramref name="seed"/>.</summary>
    public static SmallCnn Create(int seed)
    {
        torch.manual_seed(seed);
        return new SmallCnn();
    }

    public override Tensor forward(Tensor input)
    {
        // call() rather than forward() on submodules: forward hooks fire only through call().
        // No dispose scope here: capture hooks keep intermediate outputs, so the caller's scope owns them.
        var x = nn.functional.max_pool2d(nn.functional.relu(conv1.call(input)), 2);
        x = nn.functional.max_pool2d(nn.functional.relu(conv2.call(x)), 2);
        x = nn.functional.relu(fc1.call(x.flatten(1)));
        return logits.call(x);
    }
}
