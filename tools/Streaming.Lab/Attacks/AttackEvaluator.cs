using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Lab.Attacks;

/// <summary>Runs an attack and measures it the way the attack report prints it.</summary>
public static class AttackEvaluator
{
    /// <summary>Indices (int64 [M]) of the images the model classifies correctly.</summary>
    public static Tensor CorrectlyClassified(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        var correct = Predict(model, images).eq(labels);
        return correct.nonzero().flatten().MoveToOuterDisposeScope();
    }

    /// <summary>Predicted classes [N] in eval mode, without gradients, in chunks of 512.</summary>
    public static Tensor Predict(nn.Module<Tensor, Tensor> model, Tensor images)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        using var inference = no_grad();
        model.eval();
        var predictions = new List<Tensor>();
        for (long start = 0; start < images.shape[0]; start += 512)
            predictions.Add(model.call(images.narrow(0, start, Math.Min(512, images.shape[0] - start))).argmax(1));
        return cat(predictions, 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Attacks <paramref name="images"/> (meant to be correctly classified ones) and measures the outcome.
    /// The returned adversarial tensor is the only one that outlives the call.
    /// </summary>
    public static (Tensor Adversarial, AttackOutcome Outcome) Run(IAttack attack, nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(attack);
        using var scope = NewDisposeScope();
        var count = (int)images.shape[0];
        if (count == 0)
            throw new ArgumentException("No images to attack.", nameof(images));

        var started = Stopwatch.GetTimestamp();
        var adversarial = attack.Generate(model, images, labels);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var spec = attack.Spec;
        var predicted = Predict(model, adversarial);
        var flipped = predicted.ne(labels);
        double success;
        if (spec.Targeted)
        {
            var targets = spec.TargetClass is { } t ? full_like(labels, t) : (labels + 1).remainder(spec.ClassCount);
            var eligible = labels.ne(targets);
            var eligibleCount = eligible.sum().item<long>();
            success = eligibleCount == 0 ? 0 : predicted.eq(targets).logical_and(eligible).sum().item<long>() / (double)eligibleCount;
        }
        else
        {
            success = flipped.to(float64).mean().item<double>();
        }

        var difference = (adversarial - images).flatten(1);
        var outcome = new AttackOutcome(
            spec.Name,
            spec.IsBounded ? spec.Epsilon : null,
            count,
            success,
            flipped.to(float64).mean().item<double>(),
            difference.abs().amax(1).to(float64).mean().item<double>(),
            difference.pow(2).sum(1).sqrt().to(float64).mean().item<double>(),
            elapsed.TotalMilliseconds / count);
        return (adversarial.MoveToOuterDisposeScope(), outcome);
    }

    /// <summary>Pixels of a [N,...] float tensor as one managed array (bulk copy).</summary>
    public static float[] ToPixels(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        var contiguous = images.to(float32).contiguous();
        var pixels = new float[contiguous.numel()];
        MemoryMarshal.Cast<byte, float>(contiguous.bytes).CopyTo(pixels);
        return pixels;
    }
}
