using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Lab.Attacks;

/// <summary>1 - x (Hosseini et al. 2017): the same shapes to a person, a different image to a model trained on white-on-black digits.</summary>
public sealed class NegationAttack(AttackSpec spec) : BatchedAttack(spec)
{
    protected override Tensor GenerateChunk(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, Generator random) =>
        (1.0 - images).clamp(0.0, 1.0);
}
