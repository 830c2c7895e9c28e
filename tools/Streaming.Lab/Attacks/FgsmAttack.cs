using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Lab.Attacks;

/// <summary>
/// FGSM: x + eps·sign(∇x CE(f(x), y)); targeted: x - eps·sign(∇x CE(f(x), t)), a step towards the target.
/// </summary>
public sealed class FgsmAttack(AttackSpec spec) : BatchedAttack(spec)
{
    protected override Tensor GenerateChunk(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, Generator random)
    {
        var direction = Spec.Targeted ? -InputGradient(model, images, Targets(labels)).sign() : InputGradient(model, images, labels).sign();
        return (images + (Spec.Epsilon * direction)).clamp(0.0, 1.0);
    }
}
