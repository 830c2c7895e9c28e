using System.Runtime.InteropServices;
using Spectre.Console;
using Streaming.Lab.Attacks;
using Streaming.Lab.Data;
using Streaming.Lab.Training;
using Streaming.LocalStack;
using Streaming.Ml.Persistence;
using static TorchSharp.torch;

namespace Streaming.Control.Workshop;

/// <summary>The demo model in .artifacts/: trained once, then reused by the demo, the load test and the tests.</summary>
public static class ModelCache
{
    public static ModelManifest Ensure(RepoPaths paths, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(paths.DefaultModelDirectory, ModelStore.ManifestFileName)))
        {
            var cached = ModelStore.LoadManifest(paths.DefaultModelDirectory);
            AnsiConsole.MarkupLine($"Using the cached model in {paths.DefaultModelDirectory} (test accuracy {cached.TestAccuracy:P2}).");
            return cached;
        }

        AnsiConsole.MarkupLine("Training the model once (1 epoch of MNIST); later runs reuse it …");
        return TrainCommandProgress.Run(paths.MnistData, paths.DefaultModelDirectory, new TrainingOptions { Epochs = 1, Seed = 1 }, cancellationToken);
    }

    /// <summary>Adversarial images of test[start, start+count) by the named attack, and the share of correctly classified ones they flip.</summary>
    public static (float[] Pixels, double SuccessRate) Attack(RepoPaths paths, MnistDataset test, int start, int count, string attack, double epsilon)
    {
        var (model, _) = ModelStore.LoadSmallCnn(paths.DefaultModelDirectory);
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
