using Streaming.Lab.Data;
using Streaming.Ml.Serving;

namespace Streaming.Control.Evaluation;

/// <summary>Images run through the capture path: vectors per layer, predicted class, confidence and true label of each.</summary>
internal sealed record LabelledPool(string Name, IReadOnlyDictionary<string, float[][]> ByLayer, int[] Predicted, float[] Confidence, int[] TrueLabels)
{
    public int Count => Predicted.Length;

    /// <summary>Runs <paramref name="images"/> through <paramref name="runner"/> in batches of 250.</summary>
    public static LabelledPool Capture(string name, ModelRunner runner, MnistDataset images)
    {
        int count = images.Count;
        var byLayer = runner.Layers.ToDictionary(l => l.Name, _ => new float[count][]);
        var predicted = new int[count];
        var confidence = new float[count];
        const int batch = 250;
        for (int offset = 0; offset < count; offset += batch)
        {
            int size = Math.Min(batch, count - offset);
            var outputs = runner.Run(images.Pixels.AsSpan(offset * MnistDataset.PixelsPerImage, size * MnistDataset.PixelsPerImage).ToArray(), size);
            for (int i = 0; i < size; i++)
            {
                predicted[offset + i] = outputs[i].PredictedClass;
                confidence[offset + i] = outputs[i].Confidence;
                foreach (var (layer, values) in outputs[i].Layers)
                    byLayer[layer][offset + i] = values;
            }
        }
        return new LabelledPool(name, byLayer, predicted, confidence, images.Labels);
    }

    /// <summary>The images of <paramref name="source"/> at <paramref name="indices"/>, as their own data set.</summary>
    public static MnistDataset Subset(MnistDataset source, IReadOnlyList<int> indices)
    {
        var pixels = new float[indices.Count * MnistDataset.PixelsPerImage];
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            source.Pixels.AsSpan(indices[i] * MnistDataset.PixelsPerImage, MnistDataset.PixelsPerImage).CopyTo(pixels.AsSpan(i * MnistDataset.PixelsPerImage));
            labels[i] = source.Labels[indices[i]];
        }
        return MnistDataset.FromArrays(pixels, labels);
    }
}
