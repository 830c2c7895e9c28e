using System.CommandLine;
using Streaming.Control.Cli;
using Streaming.Lab.Data;
using Streaming.Lab.Training;
using Streaming.LocalStack;
using Streaming.Ml.Models;

namespace Streaming.Control.Workshop;

public static class TrainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = $"Architecture: {string.Join(", ", ModelCatalog.Names)}.",
            DefaultValueFactory = _ => ModelCatalog.SmallCnnName,
        };
        model.AcceptOnlyFromAmong([.. ModelCatalog.Names]);
        var dataset = new Option<string>("--dataset")
        {
            Description = $"Data set: {string.Join(", ", ImageDatasets.Names)} (Fashion-MNIST uses a fixed seeded 60k/10k split).",
            DefaultValueFactory = _ => ImageDatasets.Mnist,
        };
        dataset.AcceptOnlyFromAmong([.. ImageDatasets.Names]);
        var epochs = new Option<int>("--epochs") { Description = "Training epochs over the 60k training images.", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of weights and shuffling.", DefaultValueFactory = _ => 1 };
        var trainImages = new Option<int?>("--train-images") { Description = "Train on the first N training images only (a smaller budget; the Fashion-MNIST split is a seeded shuffle, MNIST's training file is in no particular order). Default: all." };
        var output = new Option<string?>("--out") { Description = "Model folder (default .artifacts/models/<model> for MNIST, .artifacts/models/<model>-<dataset> otherwise)." };
        var command = new Command("train", "Train a model (default: the small CNN on MNIST) and save weights with a manifest.") { model, dataset, epochs, seed, trainImages, output };
        command.SetAction((parse, cancellationToken) =>
        {
            var paths = RepoPaths.Discover();
            var definition = ModelCatalog.Get(parse.GetValue(model)!);
            var datasetName = parse.GetValue(dataset)!;
            var directory = parse.GetValue(output) ?? CachedModel.DefaultDirectory(paths, definition.Name, datasetName);
            var options = new TrainingOptions { Epochs = parse.GetValue(epochs), Seed = parse.GetValue(seed) };
            if (parse.GetValue(trainImages) is <= 0)
                throw new CliFailureException("--train-images must be positive.");
            var train = ImageDatasets.Load(datasetName, paths.Root, MnistSplit.Train, parse.GetValue(trainImages));
            var test = ImageDatasets.Load(datasetName, paths.Root, MnistSplit.Test);
            TrainCommandProgress.Run(directory, options,
                progress => ModelWorkshop.Train(definition, datasetName, train, test, directory, options, progress, cancellationToken));
            return Task.FromResult(0);
        });
        return command;
    }
}
