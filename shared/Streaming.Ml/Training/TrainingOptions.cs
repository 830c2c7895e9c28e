namespace Streaming.Ml;

/// <summary>Adam with cross-entropy over shuffled mini-batches; <see cref="Seed"/> fixes shuffling (and torch's RNG).</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 1;

    public int BatchSize { get; init; } = 64;

    public double LearningRate { get; init; } = 1e-3;

    public int Seed { get; init; }

    internal void Validate()
    {
        if (Epochs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be positive.");
        }

        if (BatchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be positive.");
        }

        if (!(LearningRate > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be positive.");
        }
    }
}
