using Spectre.Console;
using Streaming.Ml;

namespace Streaming.Control.Workshop;

/// <summary>Training with a progress bar (batches, loss, elapsed).</summary>
public static class TrainCommandProgress
{
    public static ModelManifest Run(string dataDirectory, string modelDirectory, TrainingOptions options, CancellationToken cancellationToken)
    {
        ModelManifest? manifest = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: 1.0);
                var progress = new SynchronousProgress<TrainingProgress>(p =>
                {
                    task.Description = $"epoch {p.Epoch + 1}/{options.Epochs} loss {p.Loss:0.000}";
                    task.Value = (p.Epoch + (p.Batch + 1) / (double)p.BatchesPerEpoch) / options.Epochs;
                });
                manifest = ModelWorkshop.Train(dataDirectory, modelDirectory, options, progress, cancellationToken);
                task.Value = 1.0;
            });
        AnsiConsole.MarkupLine($"Saved {manifest!.Name} {manifest.Version} to {modelDirectory}: test accuracy [bold]{manifest.TestAccuracy:P2}[/]");
        return manifest;
    }

    /// <summary>Reports on the training thread; Progress&lt;T&gt; would post to the thread pool and lag behind.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
