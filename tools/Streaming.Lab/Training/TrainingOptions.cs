using Streaming.Ml.Models;

namespace Streaming.Lab.Training;

/// <summary>
/// Adam over shuffled mini-batches, with cross-entropy (classification) or the mean squared error
/// against the input (reconstruction); <see cref="Seed"/> fixes shuffling (and torch's RNG).
/// </summary>
public sealed record TrainingOptions
{
    public ModelTask Task { get; init; } = ModelTask.Classification;

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
