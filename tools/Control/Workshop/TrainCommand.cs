using System.CommandLine;
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
        var output = new Option<string?>("--out") { Description = "Model folder (default .artifacts/models/<model> for MNIST, .artifacts/models/<model>-<dataset> otherwise)." };
        var command = new Command("train", "Train a model (default: the small CNN on MNIST) and save weights with a manifest.") { model, dataset, epochs, seed, output };
        command.SetAction((parse, cancellationToken) =>
        {
            var paths = RepoPaths.Discover();
            var definition = ModelCatalog.Get(parse.GetValue(model)!);
            var datasetName = parse.GetValue(dataset)!;
            var directory = parse.GetValue(output) ?? DefaultDirectory(paths, definition.Name, datasetName);
            var options = new TrainingOptions { Epochs = parse.GetValue(epochs), Seed = parse.GetValue(seed) };
            var train = ImageDatasets.Load(datasetName, paths.Root, MnistSplit.Train);
            var test = ImageDatasets.Load(datasetName, paths.Root, MnistSplit.Test);
            TrainCommandProgress.Run(directory, options,
                progress => ModelWorkshop.Train(definition, datasetName, train, test, directory, options, progress, cancellationToken));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>small-cnn on MNIST keeps the demo's folder (.artifacts/models/small-cnn).</summary>
    private static string DefaultDirectory(RepoPaths paths, string model, string dataset) =>
        Path.Combine(paths.Artifacts, "models", dataset == ImageDatasets.Mnist ? model : $"{model}-{dataset}");
}
