using Streaming.Lab.Data;
using Streaming.Lab.Training;
using Streaming.LocalStack;
using Streaming.Ml.Capture;
using Streaming.Ml.Models;
using Streaming.Ml.Persistence;
using static TorchSharp.torch;

namespace Streaming.UnitTests.Ml;

/// <summary>
/// Trains one SmallCnn on a few thousand MNIST images once for every test class in the "Ml"
/// collection (training is the slow part), plus a fixed 1000-image test sample.
/// Needs the data from infra/fetch-data.sh.
/// </summary>
public sealed class TrainedModelFixture : IDisposable
{
    public const int TrainImages = 4000;
    public const int TestImages = 1000;
    public const int Seed = 7;

    public TrainedModelFixture()
    {
        RepoRoot = RepoPaths.Discover().Root;
        DataDirectory = DataPaths.DefaultMnistDirectory(RepoRoot);
        if (!Directory.Exists(DataDirectory))
        {
            throw new InvalidOperationException(
                $"MNIST data not found at '{DataDirectory}'. Run infra/fetch-data.sh before the tests.");
        }

        Train = MnistDataset.Load(DataDirectory, MnistSplit.Train, TrainImages);
        Test = MnistDataset.Load(DataDirectory, MnistSplit.Test, TestImages);
        Model = SmallCnn.Create(Seed);
        ModelTrainer.Train(Model, Train, new TrainingOptions { Epochs = 2, BatchSize = 32, LearningRate = 2e-3, Seed = Seed });
        TestAccuracy = ModelTrainer.Evaluate(Model, Test);

        using var capture = new ActivationCapture(Model, LayerCaptureSpec.SmallCnnDefaults);
        Manifest = new ModelManifest(
            "small-cnn", "test-1", "mnist", TestAccuracy, DateTimeOffset.UtcNow, capture.DescribeLayers([1, 28, 28]));
    }

    public string RepoRoot { get; }

    public string DataDirectory { get; }

    public MnistDataset Train { get; }

    public MnistDataset Test { get; }

    public SmallCnn Model { get; }

    public double TestAccuracy { get; }

    public ModelManifest Manifest { get; }

    /// <summary>Logits of a plain forward (no hooks involved), for comparison with captured vectors.</summary>
    public float[] PlainLogits(int start, int count)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        return Model.forward(Test.ImagesTensor(start, count)).data<float>().ToArray();
    }

    public void Dispose() => Model.Dispose();
}
