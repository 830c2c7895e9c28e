using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Lab.Attacks;

/// <summary>
/// Multi-class DeepFool (Moosavi-Dezfooli et al. 2016), batched: each iteration linearises the
/// classifier around the current point and steps to the nearest boundary,
/// r = (|f_k| + 1e-4) / ‖w_k‖² · w_k with k = argmin_k |f_k| / ‖w_k‖; the total perturbation is
/// scaled by (1 + overshoot). Images stop moving once their prediction leaves the label.
/// Unbounded in L-inf: eps is ignored; the L2 norm is what it minimises.
/// </summary>
public sealed class DeepFoolAttack(AttackSpec spec) : BatchedAttack(spec)
{
    protected override Tensor GenerateChunk(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, Generator random)
    {
        var classes = Spec.ClassCount;
        var scale = 1.0 + Spec.Overshoot;
        var flatImages = images.flatten(1);
        var total = zeros_like(flatImages);

        // Only the images not yet fooled take part in an iteration (most are fooled after two or three).
        var active = arange(images.shape[0], dtype: int64, device: images.device);
        for (var iteration = 0; iteration < Spec.MaxIterations && active.shape[0] > 0; iteration++)
        {
            using var scope = NewDisposeScope();
            var x = flatImages.index_select(0, active);
            var label = labels.index_select(0, active).unsqueeze(1);
            var current = (x + (scale * total.index_select(0, active))).clamp(0.0, 1.0);
            var (logits, gradients) = LogitsAndGradients(model, current.view([-1, .. images.shape[1..]]), classes);
            var notFooled = logits.argmax(1).eq(label.squeeze(1));
            if (!notFooled.any().item<bool>())
            {
                active = empty(0, dtype: int64).MoveToOuterDisposeScope();
                break;
            }

            var keep = notFooled.nonzero().flatten();
            active = active.index_select(0, keep).MoveToOuterDisposeScope();
            label = label.index_select(0, keep);
            logits = logits.index_select(0, keep);
            gradients = gradients.index_select(0, keep);
            var count = keep.shape[0];

            // w_k = ∇f_k - ∇f_label and f_k = f_k - f_label for every class k, per image.
            var w = gradients - gradients.gather(1, label.unsqueeze(2).expand(count, 1, gradients.shape[2]));
            var f = (logits - logits.gather(1, label)).abs();
            var wNorm = w.pow(2).sum(2).sqrt() + 1e-8;
            var isLabel = arange(classes, device: labels.device).unsqueeze(0).eq(label);
            var distance = (f / wNorm).masked_fill(isLabel, float.PositiveInfinity);
            var nearest = distance.argmin(1, keepdim: true);

            var wNearest = w.gather(1, nearest.unsqueeze(2).expand(count, 1, w.shape[2])).squeeze(1);
            var step = ((distance.gather(1, nearest) + 1e-4) / wNorm.gather(1, nearest)) * wNearest;
            total.index_add_(0, active, step, 1.0);
        }

        return (flatImages + (scale * total)).clamp(0.0, 1.0).view(images.shape);
    }

    /// <summary>Logits [N,K] and the gradient of every logit w.r.t. the input, flattened: [N,K,D].</summary>
    private static (Tensor Logits, Tensor Gradients) LogitsAndGradients(nn.Module<Tensor, Tensor> model, Tensor input, int classes)
    {
        using var grad = enable_grad();
        var leaf = input.detach().requires_grad_(true);
        var logits = model.call(leaf);
        if (logits.dim() != 2 || logits.shape[1] != classes)
        {
            throw new InvalidOperationException(
                $"DeepFool expects logits [N, {classes}], the model returned [{string.Join(", ", logits.shape)}]; set AttackSpec.ClassCount.");
        }

        // Samples are independent in eval mode, so the gradient of a logit summed over the batch is every sample's own gradient.
        var gradients = new Tensor[classes];
        for (var k = 0; k < classes; k++)
            gradients[k] = autograd.grad([logits.select(1, k).sum()], [leaf], retain_graph: k < classes - 1)[0].flatten(1);
        return (logits.detach(), stack(gradients, 1));
    }
}
