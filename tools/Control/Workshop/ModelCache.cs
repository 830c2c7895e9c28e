using System.Runtime.InteropServices;
using Spectre.Console;
using Streaming.Lab.Attacks;
using Streaming.Lab.Data;
using Streaming.Lab.Training;
using Streaming.LocalStack;
using Streaming.Ml.Models;
using Streaming.Ml.Persistence;
using static TorchSharp.torch;

namespace Streaming.Control.Workshop;

/// <summary>The demo's models in .artifacts/ (<see cref="CachedModel"/>): trained once, then reused by the demo, the load test and the tests.</summary>
public static class ModelCache
{
    /// <summary>small-cnn on MNIST (<see cref="CachedModel.SmallCnn"/>), trained when it is not there yet.</summary>
    public static ModelManifest Ensure(RepoPaths paths, CancellationToken cancellationToken) =>
        Ensure(paths, CachedModel.SmallCnn(paths), cancellationToken);

    /// <summary><paramref name="model"/>, trained with its budget when its folder holds no manifest yet.</summary>
    public static ModelManifest Ensure(RepoPaths paths, CachedModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(model);
        if (File.Exists(Path.Combine(model.Directory, ModelStore.ManifestFileName)))
        {
            var cached = ModelStore.LoadManifest(model.Directory);
            AnsiConsole.MarkupLine($"Using the cached model in {model.Directory} (test accuracy {cached.TestAccuracy:P2}).");
            return cached;
        }

        var images = model.TrainImages is { } n ? $"{n:N0} images" : "all images";
        AnsiConsole.MarkupLine($"Training {model.Model} once ({model.Training.Epochs} epoch(s) of {images} of {model.Dataset}); later runs reuse it …");
        return TrainCommandProgress.Run(model.Directory, model.Training, progress => Train(paths, model, progress, cancellationToken));
    }

    /// <summary>Trains <paramref name="model"/> with its budget into its folder (no progress bar: tests call this).</summary>
    public static ModelManifest Train(RepoPaths paths, CachedModel model, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(model);
        var train = ImageDatasets.Load(model.Dataset, paths.Root, MnistSplit.Train, model.TrainImages);
        var test = ImageDatasets.Load(model.Dataset, paths.Root, MnistSplit.Test);
        return ModelWorkshop.Train(ModelCatalog.Get(model.Model), model.Dataset, train, test, model.Directory, model.Training, progress, cancellationToken);
    }

    /// <summary>Adversarial images of test[start, start+count) against the demo's small-cnn by the named attack, and the share of correctly classified ones they flip.</summary>
    public static (float[] Pixels, double SuccessRate) Attack(RepoPaths paths, MnistDataset test, int start, int count, string attack, double epsilon) =>
        Attack(paths.DefaultModelDirectory, test, start, count, attack, epsilon);

    /// <summary>As above, against the model (any of the catalog) in <paramref name="modelDirectory"/>.</summary>
    public static (float[] Pixels, double SuccessRate) Attack(string modelDirectory, MnistDataset test, int start, int count, string attack, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(test);
        var (model, _) = ModelStore.Load(modelDirectory);
        using (model)
        {
            model.eval();
            using var scope = NewDisposeScope();
            var images = test.ImagesTensor(start, count);
            var labels = test.LabelsTensor(start, count);
            var adversarial = AttackFactory.Create(attack, epsilon).Generate(model, images, labels);
            using var noGrad = no_grad();
            var cleanPredictions = model.forward(images).argmax(1);
            var attackPredictions = model.forward(adversarial).argmax(1);
            var correct = cleanPredictions.eq(labels);
            var flipped = correct.logical_and(attackPredictions.ne(labels));
            var success = flipped.sum().item<long>() / (double)Math.Max(1, correct.sum().item<long>());
            var pixels = new float[count * MnistDataset.PixelsPerImage];
            MemoryMarshal.Cast<byte, float>(adversarial.contiguous().bytes).CopyTo(pixels);
            return (pixels, success);
        }
    }
}
