using System.CommandLine;
using Streaming.Control.Hosting;
using Streaming.Control.Workshop;
using Streaming.Ml;

namespace Streaming.Control.Commands;

public static class TrainCommand
{
    public static Command Create()
    {
        var epochs = new Option<int>("--epochs") { Description = "Training epochs over MNIST train (60k images).", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of weights and shuffling.", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out") { Description = "Model folder (default .artifacts/models/small-cnn)." };
        var command = new Command("train", "Train the small CNN on MNIST and save weights with a manifest.") { epochs, seed, output };
        command.SetAction((parse, cancellationToken) =>
        {
            var paths = RepoPaths.Discover();
            TrainCommandProgress.Run(paths.MnistData, parse.GetValue(output) ?? paths.DefaultModelDirectory,
                new TrainingOptions { Epochs = parse.GetValue(epochs), Seed = parse.GetValue(seed) }, cancellationToken);
            return Task.FromResult(0);
        });
        return command;
    }
}
