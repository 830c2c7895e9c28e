using Streaming.Detection;
using Streaming.Lab.Data;
using Streaming.Lab.Training;
using Streaming.Ml.Capture;
using Streaming.Ml.Models;
using Streaming.Ml.Persistence;
using Streaming.Ml.Serving;

namespace Streaming.Control.Workshop;

/// <summary>Training and calibration, shared by the `train` / `calibrate` commands and the demo.</summary>
public static class ModelWorkshop
{
    public const string ModelName = ModelCatalog.SmallCnnName;

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
    /// Calibrates from a seeded, representative sample of the clean images [start, end): the range is
    /// shuffled with <paramref name="seed"/> (<see cref="CalibrationSample.Draw"/>); the first
    /// <paramref name="count"/> images become the reference, the next <paramref name="calibrationCount"/>
    /// the held-out calibration split of per-input scoring. Writes a format v2 reference file with the
    /// predicted class of every sampled image.
    /// </summary>
    public static ReferenceSet CalibrateSample(string modelDirectory, MnistDataset clean, string datasetName, int start, int end, int count, int calibrationCount, ulong seed, string referencePath)
    {
        if (start < 0 || end > clean.Count || start >= end)
            throw new ArgumentOutOfRangeException(nameof(start), $"Image range [{start}, {end}) is not inside the {clean.Count} available images.");
        var (referenceIndices, calibrationIndices) = CalibrationSample.Draw(end - start, count, calibrationCount, seed);
        using var runner = ModelRunner.Load(modelDirectory);
        var (reference, referenceLabels) = Capture(runner, clean, [.. referenceIndices.Select(i => start + i)]);
        var (calibration, calibrationLabels) = Capture(runner, clean, [.. calibrationIndices.Select(i => start + i)]);
        var source = SampleSource(datasetName, start, end, count, calibrationCount, seed);
        var set = ReferenceCalibrator.Create(runner.Manifest.Name, runner.Manifest.Version, reference, referenceLabels, calibration, calibrationLabels, seed, source, TimeProvider.System);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(referencePath))!);
        ReferenceFile.Save(referencePath, set);
        return set;
    }

    /// <summary>How <see cref="CalibrateSample"/> describes its sample in the reference file (<see cref="Streaming.Detection.Scoring.CalibrationSplit.Source"/>).</summary>
    public static string SampleSource(string datasetName, int start, int end, int count, int calibrationCount, ulong seed) =>
        FormattableString.Invariant($"{datasetName} test images [{start}, {end}), seeded shuffle (seed {seed}): {count} reference + {calibrationCount} calibration");

    /// <summary>Activations per layer (in capture order) and predicted classes of the images at <paramref name="indices"/>.</summary>
    public static (Dictionary<string, float[][]> ByLayer, int[] Labels) Capture(ModelRunner runner, MnistDataset images, int[] indices)
    {
        var byLayer = runner.Layers.ToDictionary(l => l.Name, _ => new float[indices.Length][]);
        var labels = new int[indices.Length];
        const int batch = 250;
        for (var offset = 0; offset < indices.Length; offset += batch)
        {
            var n = Math.Min(batch, indices.Length - offset);
            var pixels = new float[n * MnistDataset.PixelsPerImage];
            for (var i = 0; i < n; i++)
                images.Pixels.AsSpan(indices[offset + i] * MnistDataset.PixelsPerImage, MnistDataset.PixelsPerImage).CopyTo(pixels.AsSpan(i * MnistDataset.PixelsPerImage));
            var outputs = runner.Run(pixels, n);
            for (var i = 0; i < n; i++)
            {
                labels[offset + i] = outputs[i].PredictedClass;
                foreach (var (layer, values) in outputs[i].Layers)
                    byLayer[layer][offset + i] = values;
            }
        }
        return (byLayer, labels);
    }
}
