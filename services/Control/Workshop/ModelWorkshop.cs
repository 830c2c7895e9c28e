using Streaming.Detection;
using Streaming.Ml;

namespace Streaming.Control.Workshop;

/// <summary>Training and calibration, shared by the `train` / `calibrate` commands and the demo.</summary>
public static class ModelWorkshop
{
    public const string ModelName = ModelCatalog.SmallCnnName;

    /// <summary>Trains a SmallCnn on MNIST train, measures test accuracy and saves weights + manifest.</summary>
    public static ModelManifest Train(string dataDirectory, string modelDirectory, TrainingOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var train = MnistDataset.Load(dataDirectory, MnistSplit.Train);
        var test = MnistDataset.Load(dataDirectory, MnistSplit.Test);
        return Train(ModelCatalog.Get(ModelName), ImageDatasets.Mnist, train, test, modelDirectory, options, progress, cancellationToken);
    }

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/>, measures the test metric (accuracy, or
    /// reconstruction MSE for the autoencoder) and saves weights + a manifest listing the model's default
    /// capture layers with their shapes. The loss follows the model's task, whatever options.Task says.
    /// </summary>
    public static ModelManifest Train(
        ModelDefinition model,
        string datasetName,
        MnistDataset train,
        MnistDataset test,
        string modelDirectory,
        TrainingOptions options,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        options = options with { Task = model.Task };
        using var network = model.Create(options.Seed);
        ModelTrainer.Train(network, train, options, progress, cancellationToken);
        var accuracy = model.Task == ModelTask.Classification ? ModelTrainer.Evaluate(network, test, cancellationToken) : 0;
        double? mse = model.Task == ModelTask.Reconstruction ? ModelTrainer.EvaluateReconstruction(network, test, cancellationToken) : null;
        using var capture = new ActivationCapture(network, model.DefaultCapture);
        var version = $"{DateTime.UtcNow:yyyyMMdd}-s{options.Seed}-e{options.Epochs}";
        var manifest = new ModelManifest(model.Name, version, datasetName, accuracy, DateTimeOffset.UtcNow, capture.DescribeLayers(model.InputShape), mse);
        ModelStore.Save(modelDirectory, network, manifest);
        return manifest;
    }

    /// <summary>
    /// Runs clean images through the same capture path as the inference service and builds the
    /// reference (bandwidth per layer by the median heuristic).
    /// </summary>
    public static ReferenceSet Calibrate(string modelDirectory, MnistDataset clean, int start, int count, string referencePath)
    {
        if (start < 0 || count < 2 || start + count > clean.Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"Calibration range [{start}, {start + count}) is outside the {clean.Count} available images.");
        using var runner = ModelRunner.Load(modelDirectory);
        var vectors = runner.Layers.ToDictionary(l => l.Name, _ => new List<float[]>(count));
        const int batch = 250;
        for (var offset = 0; offset < count; offset += batch)
        {
            var n = Math.Min(batch, count - offset);
            var pixels = clean.Pixels.AsSpan((start + offset) * MnistDataset.PixelsPerImage, n * MnistDataset.PixelsPerImage).ToArray();
            foreach (var input in runner.Run(pixels, n))
            {
                foreach (var (layer, values) in input.Layers)
                    vectors[layer].Add(values);
            }
        }

        var byLayer = new Dictionary<string, float[][]>();
        foreach (var layer in runner.Layers)
            byLayer[layer.Name] = vectors[layer.Name].ToArray();
        var reference = ReferenceCalibrator.Create(runner.Manifest.Name, runner.Manifest.Version, byLayer, TimeProvider.System);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(referencePath))!);
        ReferenceFile.Save(referencePath, reference);
        return reference;
    }
}
