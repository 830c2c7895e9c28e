using System.Diagnostics;
using Streaming.Lab.Data;
using Streaming.Ml.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Lab.Training;

/// <summary>Trains and evaluates image classifiers and autoencoders on an <see cref="MnistDataset"/>.</summary>
public static class ModelTrainer
{
    private const int EvaluationBatchSize = 1000;

    /// <summary>
    /// Trains <paramref name="model"/> in place. Reproducible for a given seed: torch's RNG is seeded
    /// and the shuffle order comes from a seeded <see cref="Random"/>.
    /// </summary>
    public static void Train(
        nn.Module<Tensor, Tensor> model,
        MnistDataset train,
        TrainingOptions options,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (train.Count == 0)
        {
            throw new ArgumentException("The training set is empty.", nameof(train));
        }

        torch.manual_seed(options.Seed);
        var shuffle = new Random(options.Seed);
        var stopwatch = Stopwatch.StartNew();
        var batchesPerEpoch = (train.Count + options.BatchSize - 1) / options.BatchSize;

        // The whole set as one tensor (188 MB for full MNIST) so a batch is a single index_select.
        using var allImages = train.ImagesTensor(0, train.Count);
        using var allLabels = train.LabelsTensor(0, train.Count);
        using var optimizer = optim.Adam(model.parameters(), options.LearningRate);
        model.train();
        try
        {
            var order = Enumerable.Range(0, train.Count).Select(i => (long)i).ToArray();
            for (var epoch = 0; epoch < options.Epochs; epoch++)
            {
                shuffle.Shuffle(order);
                for (var batch = 0; batch < batchesPerEpoch; batch++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var start = batch * options.BatchSize;
                    var count = Math.Min(options.BatchSize, train.Count - start);
                    var index = tensor(order.AsSpan(start, count).ToArray(), [count], ScalarType.Int64);
                    var images = allImages.index_select(0, index);
                    var labels = allLabels.index_select(0, index);

                    optimizer.zero_grad();
                    var output = model.call(images);
                    var loss = options.Task == ModelTask.Classification
                        ? nn.functional.cross_entropy(output, labels)
                        : nn.functional.mse_loss(output, images);
                    loss.backward();
                    optimizer.step();

                    progress?.Report(new TrainingProgress(epoch + 1, batch + 1, batchesPerEpoch, loss.item<float>(), stopwatch.Elapsed));
                }
            }
        }
        finally
        {
            model.eval();
        }
    }

    /// <summary>Share of <paramref name="dataset"/> the model classifies correctly, in [0,1].</summary>
    public static double Evaluate(nn.Module<Tensor, Tensor> model, MnistDataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0)
        {
            throw new ArgumentException("The evaluation set is empty.", nameof(dataset));
        }

        model.eval();
        long correct = 0;
        for (var start = 0; start < dataset.Count; start += EvaluationBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            using var inference = torch.inference_mode();
            var count = Math.Min(EvaluationBatchSize, dataset.Count - start);
            var predicted = model.call(dataset.ImagesTensor(start, count)).argmax(1);
            correct += predicted.eq(dataset.LabelsTensor(start, count)).sum().item<long>();
        }

        return (double)correct / dataset.Count;
    }

    /// <summary>Mean squared error per pixel between each image and the model's reconstruction of it.</summary>
    public static double EvaluateReconstruction(nn.Module<Tensor, Tensor> model, MnistDataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0)
        {
            throw new ArgumentException("The evaluation set is empty.", nameof(dataset));
        }

        model.eval();
        double squaredErrorSum = 0;
        for (var start = 0; start < dataset.Count; start += EvaluationBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            using var inference = torch.inference_mode();
            var count = Math.Min(EvaluationBatchSize, dataset.Count - start);
            var images = dataset.ImagesTensor(start, count);
            squaredErrorSum += (model.call(images) - images).square().sum().to_type(ScalarType.Float64).item<double>();
        }

        return squaredErrorSum / ((double)dataset.Count * MnistDataset.PixelsPerImage);
    }
}
