using Spectre.Console;
using Streaming.Lab.Training;
using Streaming.Ml.Persistence;

namespace Streaming.Control.Workshop;

/// <summary>Training with a progress bar (batches, loss, elapsed).</summary>
public static class TrainCommandProgress
{
    /// <summary>Runs <paramref name="train"/> under a progress bar and prints the test metric of the saved model.</summary>
    public static ModelManifest Run(string modelDirectory, TrainingOptions options, Func<IProgress<TrainingProgress>, ModelManifest> train)
    {
        ModelManifest? manifest = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: 1.0);
                var progress = new SynchronousProgress<TrainingProgress>(p =>
                {
                    // Epoch and Batch are 1-based.
                    task.Description = $"epoch {p.Epoch}/{options.Epochs} loss {p.Loss:0.000}";
                    task.Value = (p.Epoch - 1 + (p.Batch / (double)p.BatchesPerEpoch)) / options.Epochs;
                });
                manifest = train(progress);
                task.Value = 1.0;
            });
        var metric = manifest!.ReconstructionMse is { } mse ? $"test reconstruction MSE [bold]{mse:0.00000}[/]" : $"test accuracy [bold]{manifest.TestAccuracy:P2}[/]";
        AnsiConsole.MarkupLine($"Saved {manifest.Name} {manifest.Version} ({manifest.Dataset}) to {modelDirectory}: {metric}");
        foreach (var layer in manifest.Layers)
            AnsiConsole.MarkupLine($"  {layer.Name}: [[{string.Join(", ", layer.Shape)}]] -> {layer.Reduction} ({layer.VectorDim})");
        return manifest;
    }

    /// <summary>Reports on the training thread; Progress&lt;T&gt; would post to the thread pool and lag behind.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
