using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Lab.Attacks;

/// <summary>x + U(-eps, eps) per pixel, clipped to [0,1]: as large as FGSM in L-inf but with no direction.</summary>
public sealed class UniformNoiseAttack(AttackSpec spec) : BatchedAttack(spec)
{
    protected override Tensor GenerateChunk(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, Generator random)
    {
        var noise = (rand(images.shape, dtype: images.dtype, device: images.device, generator: random) * 2 - 1) * Spec.Epsilon;
        return (images + noise).clamp(0.0, 1.0);
    }
}
