namespace Streaming.Lab.Training;

/// <summary>Reported after each mini-batch; <see cref="Loss"/> is that batch's mean cross-entropy.</summary>
public sealed record TrainingProgress(int Epoch, int Batch, int BatchesPerEpoch, double Loss, TimeSpan Elapsed);
