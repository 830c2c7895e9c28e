using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Lab.Attacks;

/// <summary>
/// BIM and PGD: <see cref="AttackSpec.Steps"/> signed-gradient steps of <see cref="AttackSpec.EffectiveStepSize"/>,
/// each projected back onto the L-inf ball of radius eps around the input and onto [0,1].
/// PGD (<see cref="AttackSpec.RandomStart"/>) starts from a uniformly random point of the ball.
/// </summary>
public sealed class IterativeAttack(AttackSpec spec) : BatchedAttack(spec)
{
    protected override Tensor GenerateChunk(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, Generator random)
    {
        var eps = Spec.Epsilon;
        var lower = (images - eps).clamp_min(0.0);
        var upper = (images + eps).clamp_max(1.0);
        var classes = Spec.Targeted ? Targets(labels) : labels;
        var sign = Spec.Targeted ? -1.0 : 1.0;

        var x = images;
        if (Spec.RandomStart)
        {
            var start = (rand(images.shape, dtype: images.dtype, device: images.device, generator: random) * 2 - 1) * eps;
            x = (images + start).clamp(0.0, 1.0);
        }

        for (var step = 0; step < Spec.Steps; step++)
        {
            // Each step's temporaries die with its scope; only the new iterate moves out.
            using var scope = NewDisposeScope();
            var moved = x + (sign * Spec.EffectiveStepSize * InputGradient(model, x, classes).sign());
            x = minimum(maximum(moved, lower), upper).MoveToOuterDisposeScope();
        }

        return x;
    }
}
