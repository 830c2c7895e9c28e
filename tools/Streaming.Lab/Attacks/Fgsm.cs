using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Lab.Attacks;

/// <summary>Fast Gradient Sign Method (Goodfellow et al. 2015): one step of size epsilon along the sign of the loss gradient.</summary>
public static class Fgsm
{
    /// <summary>
    /// Adversarial versions of <paramref name="images"/> (pixels in [0,1]) against their true
    /// <paramref name="labels"/>: x + eps * sign(grad_x CE(model(x), y)), clamped to [0,1].
    /// Processed in chunks of <paramref name="batchSize"/>; the result is detached and is the only
    /// tensor that outlives the call (it belongs to the caller's dispose scope, if any).
    /// </summary>
    public static Tensor Generate(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, double epsilon, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (images.shape[0] != labels.shape[0])
        {
            throw new ArgumentException($"images has {images.shape[0]} inputs but labels has {labels.shape[0]}.", nameof(labels));
        }

        using var scope = NewDisposeScope();
        var count = images.shape[0];
        var chunks = new List<Tensor>();
        for (long start = 0; start < count; start += batchSize)
        {
            var length = Math.Min(batchSize, count - start);
            chunks.Add(GenerateChunk(model, images.narrow(0, start, length), labels.narrow(0, start, length), epsilon));
        }

        var result = chunks.Count == 1 ? chunks[0] : cat(chunks, 0);
        return result.MoveToOuterDisposeScope();
    }

    private static Tensor GenerateChunk(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, double epsilon)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var input = images.detach().clone().requires_grad_(true);
        var loss = nn.functional.cross_entropy(model.call(input), labels);

        // autograd.grad rather than backward(): parameter .grad fields of the model stay untouched.
        var gradient = autograd.grad([loss], [input])[0];
        var adversarial = (input.detach() + (epsilon * gradient.sign())).clamp(0.0, 1.0);
        return adversarial.MoveToOuterDisposeScope();
    }
}
