using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Lab.Attacks;

/// <summary>Turns clean images into adversarial ones against a classifier.</summary>
public interface IAttack
{
    AttackSpec Spec { get; }

    /// <summary>
    /// Adversarial versions of <paramref name="images"/> ([N,C,H,W], pixels in [0,1]) with true
    /// <paramref name="labels"/> ([N], int64), clipped to [0,1]. The result is detached and is the only
    /// tensor that outlives the call. The model runs in eval mode; its parameters get no gradients.
    /// </summary>
    Tensor Generate(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels);
}
