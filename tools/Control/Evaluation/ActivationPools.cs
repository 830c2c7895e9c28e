using System.Runtime.InteropServices;
using Streaming.Lab.Data;
using Streaming.Ml.Persistence;
using Streaming.Ml.Serving;
using static TorchSharp.torch;

namespace Streaming.Control.Evaluation;

/// <summary>Pools of test images and their activations per layer, clean or attacked, for the evaluations.</summary>
internal static class ActivationPools
{
    /// <summary><paramref name="take"/> distinct indices of 0..<paramref name="count"/>-1, in random order.</summary>
    public static int[] Choose(Random random, int count, int take)
    {
        var all = Enumerable.Range(0, count).ToArray();
        random.Shuffle(all);
        return all[..take];
    }

    public static float[] Flatten(float[][] rows) => [.. rows.SelectMany(r => r)];

    public static float[] Slice(MnistDataset data, int start, int count) =>
        data.Pixels.AsSpan(start * MnistDataset.PixelsPerImage, count * MnistDataset.PixelsPerImage).ToArray();

    /// <summary>Activations of <paramref name="count"/> images, by layer, in batches of 250.</summary>
    public static Dictionary<string, float[][]> Activations(ModelRunner runner, float[] pixels, int count)
    {
        var byLayer = runner.Layers.ToDictionary(l => l.Name, _ => new float[count][]);
        const int batch = 250;
        for (int offset = 0; offset < count; offset += batch)
        {
            int size = Math.Min(batch, count - offset);
            var chunk = pixels.AsSpan(offset * MnistDataset.PixelsPerImage, size * MnistDataset.PixelsPerImage).ToArray();
            var outputs = runner.Run(chunk, size);
            for (int i = 0; i < size; i++)
            {
                foreach (var (layer, values) in outputs[i].Layers)
                    byLayer[layer][offset + i] = values;
            }
        }
        return byLayer;
    }

    /// <summary>Adversarial versions of test images start..start+count, clamped to [0,1].</summary>
    public static float[] Attack(string modelDirectory, MnistDataset test, int start, int count, (string Name, double Strength) attack)
    {
        var (model, _) = ModelStore.LoadSmallCnn(modelDirectory);
        using (model)
        {
            model.eval();
            using var scope = NewDisposeScope();
            var adversarial = EvaluationAttacks.Get(attack.Name)(model, test.ImagesTensor(start, count), test.LabelsTensor(start, count), attack.Strength);
            // Attacks may leave the valid range by rounding; the runner insists on [0,1].
            var pixels = new float[count * MnistDataset.PixelsPerImage];
            MemoryMarshal.Cast<byte, float>(adversarial.clamp(0.0, 1.0).contiguous().bytes).CopyTo(pixels);
            return pixels;
        }
    }
}
