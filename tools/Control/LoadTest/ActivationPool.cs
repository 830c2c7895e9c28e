using Streaming.Detection;
using Streaming.Detection.Scoring;

namespace Streaming.Control.LoadTest;

/// <summary>
/// Rows of recorded activations, every layer of one input per row, to draw load-test events from.
/// <see cref="Vectors"/>[l] holds <see cref="Count"/> × <see cref="Dimensions"/>[l] values, row-major; <see cref="Labels"/>
/// the predicted class of each row (<see cref="CalibrationSplit.NoLabel"/> when unknown).
/// </summary>
public sealed class ActivationPool
{
    public ActivationPool(IReadOnlyList<string> layers, IReadOnlyList<int> dimensions, IReadOnlyList<float[]> vectors, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(labels);
        if (layers.Count == 0 || labels.Length == 0)
            throw new ArgumentException("An activation pool needs at least one layer and one row.");
        if (dimensions.Count != layers.Count || vectors.Count != layers.Count)
            throw new ArgumentException($"An activation pool of {layers.Count} layers has {dimensions.Count} dimensions and {vectors.Count} vector blocks.");
        for (var l = 0; l < layers.Count; l++)
        {
            if (dimensions[l] < 1 || vectors[l].Length != labels.Length * dimensions[l])
                throw new ArgumentException($"Layer '{layers[l]}' holds {vectors[l].Length} values for {labels.Length} rows of dimension {dimensions[l]}.");
        }

        Layers = layers;
        Dimensions = dimensions;
        Vectors = vectors;
        Labels = labels;
    }

    public IReadOnlyList<string> Layers { get; }

    public IReadOnlyList<int> Dimensions { get; }

    public IReadOnlyList<float[]> Vectors { get; }

    public int[] Labels { get; }

    public int Count => Labels.Length;

    /// <summary>
    /// The clean rows a reference file stores: its held-out calibration split when it has one (never part of
    /// the reference, so a window of them is clean traffic the reference has not seen), else the reference rows.
    /// </summary>
    public static ActivationPool FromReference(ReferenceSet reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var layers = reference.Layers.Select(l => l.Layer).ToList();
        var dimensions = reference.Layers.Select(l => l.Dimension).ToList();
        if (reference.Calibration is { } split)
            return new ActivationPool(layers, dimensions, split.Vectors, split.Labels);
        var count = reference.Layers[0].Count;
        return new ActivationPool(layers, dimensions, reference.Layers.Select(l => l.Vectors).ToList(), Enumerable.Repeat(CalibrationSplit.NoLabel, count).ToArray());
    }

    /// <summary>Rows captured from a model (<c>ModelWorkshop.Capture</c>): per layer one vector per input, in <paramref name="layers"/>' order.</summary>
    public static ActivationPool FromCapture(IReadOnlyList<string> layers, IReadOnlyDictionary<string, float[][]> byLayer, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(byLayer);
        ArgumentNullException.ThrowIfNull(labels);
        var dimensions = new List<int>(layers.Count);
        var vectors = new List<float[]>(layers.Count);
        foreach (var layer in layers)
        {
            if (!byLayer.TryGetValue(layer, out var rows))
                throw new ArgumentException($"The capture has no layer '{layer}'; it has {string.Join(", ", byLayer.Keys)}.", nameof(byLayer));
            var dimension = rows.Length == 0 ? 0 : rows[0].Length;
            var flat = new float[rows.Length * dimension];
            for (var i = 0; i < rows.Length; i++)
            {
                if (rows[i].Length != dimension)
                    throw new ArgumentException($"Layer '{layer}' row {i} has {rows[i].Length} values; row 0 has {dimension}.", nameof(byLayer));
                rows[i].CopyTo(flat, i * dimension);
            }

            dimensions.Add(dimension);
            vectors.Add(flat);
        }

        return new ActivationPool(layers, dimensions, vectors, labels);
    }

    /// <summary>The values of row <paramref name="row"/> in layer <paramref name="layer"/> (index into <see cref="Layers"/>).</summary>
    public ReadOnlySpan<float> Row(int layer, int row) => Vectors[layer].AsSpan(row * Dimensions[layer], Dimensions[layer]);
}
