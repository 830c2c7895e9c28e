using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Lab.Attacks;

/// <summary>Gradients with respect to the input only.</summary>
public static class AttackGradients
{
    /// <summary>
    /// ∇x CE(model(x), classes), detached. Uses autograd.grad rather than backward(), so the model's
    /// parameter .grad fields stay untouched. Works under an outer no_grad/inference scope too.
    /// </summary>
    public static Tensor CrossEntropy(nn.Module<Tensor, Tensor> model, Tensor input, Tensor classes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(classes);
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var leaf = input.detach().requires_grad_(true);
        var loss = nn.functional.cross_entropy(model.call(leaf), classes);
        return autograd.grad([loss], [leaf])[0].detach().MoveToOuterDisposeScope();
    }
}
