using Streaming.Lab.Data;
using Streaming.Lab.Training;
using Streaming.LocalStack;
using Streaming.Ml.Models;

namespace Streaming.Control.Workshop;

/// <summary>
/// A model the demo and the tests train once into .artifacts/models/ and reuse: which architecture, on which
/// data set, with what training budget, and where it and its default reference live.
/// </summary>
/// <param name="TrainImages">The first this many training images only (the Fashion-MNIST split is already a seeded shuffle); null: all of them.</param>
public sealed record CachedModel(string Model, string Dataset, string Directory, TrainingOptions Training, int? TrainImages)
{
    /// <summary>
    /// Training images of <see cref="ResNetFashion"/>, a budget the 2-core machine and the test suite can afford:
    /// measured (1 epoch, seed 1), 3,000 images took 37 s of CPU for 55.6 % test accuracy and 12,000 took 192 s
    /// of CPU for 74.6 %; all 60,000 would take about 16 CPU-minutes (small-cnn's epoch of MNIST: 23 s).
    /// </summary>
    public const int ResNetFashionTrainImages = 12_000;

    /// <summary>The default reference of the model's seeded clean sample (<see cref="CleanSample.EnsureReference"/>).</summary>
    public string ReferencePath => Path.Combine(Directory, "reference.bin");

    /// <summary>small-cnn on MNIST, 1 epoch of the 60,000 training images: the demo's first model (.artifacts/models/small-cnn).</summary>
    public static CachedModel SmallCnn(RepoPaths paths) =>
        new(ModelCatalog.SmallCnnName, ImageDatasets.Mnist, paths.DefaultModelDirectory, new TrainingOptions { Epochs = 1, Seed = 1 }, null);

    /// <summary>resnet-small on Fashion-MNIST, 1 epoch of <see cref="ResNetFashionTrainImages"/> images: the demo's second model.</summary>
    public static CachedModel ResNetFashion(RepoPaths paths) =>
        new(ModelCatalog.ResNetSmallName, ImageDatasets.FashionMnist, DefaultDirectory(paths, ModelCatalog.ResNetSmallName, ImageDatasets.FashionMnist), new TrainingOptions { Epochs = 1, Seed = 1 }, ResNetFashionTrainImages);

    /// <summary>Where `control train` puts a model by default: small-cnn on MNIST keeps the demo's folder (.artifacts/models/small-cnn), others .artifacts/models/&lt;model&gt;-&lt;dataset&gt; (or &lt;model&gt; on MNIST).</summary>
    public static string DefaultDirectory(RepoPaths paths, string model, string dataset)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Path.Combine(paths.Artifacts, "models", dataset == ImageDatasets.Mnist ? model : $"{model}-{dataset}");
    }
}
