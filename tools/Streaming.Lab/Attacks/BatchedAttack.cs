using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Lab.Attacks;

/// <summary>
/// The common frame of every attack: argument checks, eval mode, chunks of <see cref="AttackSpec.BatchSize"/>,
/// one dispose scope per chunk and a seeded generator per call, so the same call gives the same images.
/// </summary>
public abstract class BatchedAttack : IAttack
{
    protected BatchedAttack(AttackSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
    }

    public AttackSpec Spec { get; }

    public Tensor Generate(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.dim() < 2)
            throw new ArgumentException($"images must be a batch [N, ...], got shape [{string.Join(", ", images.shape)}].", nameof(images));
        if (labels.dim() != 1 || images.shape[0] != labels.shape[0])
            throw new ArgumentException($"images has {images.shape[0]} inputs but labels has shape [{string.Join(", ", labels.shape)}].", nameof(labels));

        // Attacks must see the deployed (eval) behaviour; the caller's mode is restored afterwards.
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var random = new Generator((ulong)Spec.Seed);
            var count = images.shape[0];
            var chunks = new List<Tensor>();
            for (long start = 0; start < count; start += Spec.BatchSize)
            {
                var length = Math.Min(Spec.BatchSize, count - start);
                var chunkImages = images.narrow(0, start, length).detach().to(float32);
                var chunkLabels = labels.narrow(0, start, length).to(int64);
                chunks.Add(GenerateChunk(model, chunkImages, chunkLabels, random));
            }

            var result = chunks.Count == 1 ? chunks[0] : cat(chunks, 0);
            return result.detach().MoveToOuterDisposeScope();
        }
        finally
        {
            if (wasTraining)
                model.train();
        }
    }

    /// <summary>The targets of a targeted attack for <paramref name="labels"/> ([N] int64).</summary>
    protected Tensor Targets(Tensor labels) =>
        Spec.TargetClass is { } target
            ? full_like(labels, target)
            : (labels + 1).remainder(Spec.ClassCount);

    /// <summary>∇x CE(model(x), classes); see <see cref="AttackGradients.CrossEntropy"/>.</summary>
    protected static Tensor InputGradient(nn.Module<Tensor, Tensor> model, Tensor input, Tensor classes) =>
        AttackGradients.CrossEntropy(model, input, classes);

    /// <summary>One chunk: a new tensor in the caller's scope; temporaries may stay there too.</summary>
    protected abstract Tensor GenerateChunk(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, Generator random);
}
