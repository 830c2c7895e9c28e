using System.Runtime.InteropServices;
using Streaming.Detection.Scanning;
using Streaming.Lab.Data;
using Streaming.Lab.Evaluation;
using Streaming.Ml.Capture;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Control.Evaluation;

/// <summary>
/// Subset scanning over an autoencoder's activations (Cintas et al., IJCAI 2020): adversarial images
/// are made against a classifier, the autoencoder (trained on clean images only) sees clean and
/// adversarial images, and each of its layers is scanned against a clean background. Individual
/// scans score one image over the layer's nodes; group scans score a group of images, clean or with
/// a share of adversarial ones. Reports ROC AUC (adversarial vs clean) per layer.
/// </summary>
public sealed class ScanEvaluator(ScanEvaluationOptions options, TextWriter log)
{
    private const int Batch = 250;

    public IReadOnlyList<ScanLayerResult> Run(nn.Module<Tensor, Tensor> classifier, nn.Module<Tensor, Tensor> autoencoder, IReadOnlyList<string> layers, MnistDataset test, CancellationToken cancellationToken)
    {
        options.Validate();
        int needed = options.Background + options.Evaluated;
        if (test.Count < needed)
            throw new ArgumentException($"The evaluation needs {needed} test images (background + evaluated), the data set has {test.Count}.");
        classifier.eval();
        autoencoder.eval();
        var specs = layers.Select(l => new LayerCaptureSpec(l, LayerReduction.Flatten)).ToArray();
        using var capture = new ActivationCapture(autoencoder, specs);

        var background = Capture(capture, Pixels(test, 0, options.Background), options.Background);
        var clean = Capture(capture, Pixels(test, options.Background, options.Evaluated), options.Evaluated);
        var scanners = layers.ToDictionary(l => l, l => new SubsetScanner([LayerBackground.FromRows(l, background[l])], options.Scan));
        log.WriteLine($"Background {options.Background} and {options.Evaluated} evaluated images captured at {string.Join(", ", layers.Select(l => $"{l} ({background[l][0].Length})"))}.");

        var random = new Random(options.Seed);
        var cleanGroups = Enumerable.Range(0, options.Groups).Select(_ => Draw(random, options.Evaluated, options.GroupSize)).ToArray();
        var cleanIndividual = layers.ToDictionary(l => l, l => clean[l].Select(row => scanners[l].Scan([[row]]).Score).ToArray());
        var cleanGroupScores = layers.ToDictionary(l => l, l => cleanGroups.Select(g => scanners[l].Scan([[.. g.Select(i => clean[l][i])]]).Score).ToArray());

        var results = new List<ScanLayerResult>();
        foreach (var (attack, strength) in options.Attacks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var adversarialPixels = Attack(classifier, test, options.Background, options.Evaluated, attack, strength);
            var adversarial = Capture(capture, adversarialPixels, options.Evaluated);
            foreach (var layer in layers)
            {
                var scanner = scanners[layer];
                double[] individual = [.. adversarial[layer].Select(row => scanner.Scan([[row]]).Score)];
                var groupAucs = new List<(double, double)>();
                foreach (double share in options.Shares)
                {
                    int attacked = Math.Max(1, (int)Math.Round(share * options.GroupSize));
                    var scores = new double[options.Groups];
                    for (int g = 0; g < options.Groups; g++)
                    {
                        // Distinct images; the first `attacked` are shown in their adversarial version.
                        int[] members = Draw(random, options.Evaluated, options.GroupSize);
                        float[][] rows = [.. members.Select((i, k) => k < attacked ? adversarial[layer][i] : clean[layer][i])];
                        scores[g] = scanner.Scan([rows]).Score;
                    }
                    groupAucs.Add((share, RocCurve.Auc(scores, cleanGroupScores[layer])));
                }
                var result = new ScanLayerResult(layer, background[layer][0].Length, attack, strength, RocCurve.Auc(individual, cleanIndividual[layer]), groupAucs);
                results.Add(result);
                log.WriteLine(FormattableString.Invariant(
                    $"{attack} {strength}: {layer}: individual AUC {result.IndividualAuc:F3}; group AUC {string.Join(", ", groupAucs.Select(g => $"{g.Item1:P0} {g.Item2:F3}"))}"));
            }
        }
        return results;
    }

    private static float[] Pixels(MnistDataset data, int start, int count) =>
        data.Pixels.AsSpan(start * MnistDataset.PixelsPerImage, count * MnistDataset.PixelsPerImage).ToArray();

    private static int[] Draw(Random random, int count, int size)
    {
        int[] all = [.. Enumerable.Range(0, count)];
        random.Shuffle(all);
        return all[..size];
    }

    /// <summary>Activations per layer, one row per image.</summary>
    private static Dictionary<string, float[][]> Capture(ActivationCapture capture, float[] pixels, int count)
    {
        var byLayer = capture.Specs.ToDictionary(s => s.Layer, _ => new float[count][]);
        for (int offset = 0; offset < count; offset += Batch)
        {
            int size = Math.Min(Batch, count - offset);
            using var scope = NewDisposeScope();
            var images = torch.tensor(pixels.AsSpan(offset * MnistDataset.PixelsPerImage, size * MnistDataset.PixelsPerImage).ToArray(), [size, 1, MnistDataset.ImageSide, MnistDataset.ImageSide]);
            var result = capture.Run(images);
            foreach (var layer in result.Layers)
            {
                for (int i = 0; i < size; i++)
                    byLayer[layer.Layer][offset + i] = layer.VectorSpan(i).ToArray();
            }
        }
        return byLayer;
    }

    /// <summary>Adversarial versions of test images start..start+count against the classifier, clamped to [0,1].</summary>
    private static float[] Attack(nn.Module<Tensor, Tensor> classifier, MnistDataset test, int start, int count, string attack, double strength)
    {
        var pixels = new float[count * MnistDataset.PixelsPerImage];
        var generate = EvaluationAttacks.Get(attack);
        for (int offset = 0; offset < count; offset += Batch)
        {
            int size = Math.Min(Batch, count - offset);
            using var scope = NewDisposeScope();
            var adversarial = generate(classifier, test.ImagesTensor(start + offset, size), test.LabelsTensor(start + offset, size), strength);
            MemoryMarshal.Cast<byte, float>(adversarial.clamp(0.0, 1.0).contiguous().bytes).CopyTo(pixels.AsSpan(offset * MnistDataset.PixelsPerImage));
        }
        return pixels;
    }
}
