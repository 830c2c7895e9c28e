namespace Streaming.Detection.Scoring;

/// <summary>
/// What per-input scoring needs besides the reference vectors (reference file format v2): the
/// predicted class of every reference row, and a held-out calibration split of the same clean
/// source (vectors per layer and their predicted classes). The calibration inputs are never part of
/// the reference, so their nonconformity scores against it are exchangeable with a new clean
/// input's score; that is what makes the conformal p-values of clean inputs (super-)uniform.
/// </summary>
public sealed class CalibrationSplit
{
    /// <summary>Label of an input whose model has no classes (an autoencoder): no label-based evidence then.</summary>
    public const int NoLabel = -1;

    /// <param name="referenceLabels">Predicted class of reference row i (the same row in every layer), or <see cref="NoLabel"/>.</param>
    /// <param name="count">Calibration inputs.</param>
    /// <param name="vectors">Per reference layer, in its order: <paramref name="count"/> × that layer's dimension values, row-major.</param>
    /// <param name="labels">Predicted class of calibration input i, or <see cref="NoLabel"/>.</param>
    /// <param name="seed">Seed of the random sample the reference and this split were drawn with.</param>
    /// <param name="source">Human-readable description of the sampled clean source.</param>
    public CalibrationSplit(int[] referenceLabels, int count, IReadOnlyList<float[]> vectors, int[] labels, ulong seed, string source)
    {
        ArgumentNullException.ThrowIfNull(referenceLabels);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(source);
        if (count < 1)
        {
            throw new ArgumentException($"A calibration split needs at least 1 input, got {count}.", nameof(count));
        }
        if (labels.Length != count)
        {
            throw new ArgumentException($"The calibration split has {count} inputs but {labels.Length} labels.", nameof(labels));
        }
        CheckLabels(referenceLabels, "reference");
        CheckLabels(labels, "calibration");
        ReferenceLabels = referenceLabels;
        Count = count;
        Vectors = vectors;
        Labels = labels;
        Seed = seed;
        Source = source;
    }

    public int[] ReferenceLabels { get; }

    public int Count { get; }

    public IReadOnlyList<float[]> Vectors { get; }

    public int[] Labels { get; }

    public ulong Seed { get; }

    public string Source { get; }

    /// <summary>True when every reference and calibration input carries a class (label evidence is possible).</summary>
    public bool HasLabels => Array.TrueForAll(ReferenceLabels, l => l != NoLabel) && Array.TrueForAll(Labels, l => l != NoLabel);

    /// <summary>Throws <see cref="ArgumentException"/> when this split does not fit <paramref name="layers"/>.</summary>
    public void CheckAgainst(IReadOnlyList<LayerReference> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (Vectors.Count != layers.Count)
        {
            throw new ArgumentException($"The calibration split holds {Vectors.Count} layers; the reference has {layers.Count}.");
        }
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            if (layer.Count != ReferenceLabels.Length)
            {
                throw new ArgumentException($"Layer '{layer.Layer}' holds {layer.Count} reference vectors but the split labels {ReferenceLabels.Length}; every layer must hold the same inputs.");
            }
            float[] values = Vectors[l] ?? throw new ArgumentException($"The calibration vectors of layer '{layer.Layer}' are missing.");
            if (values.LongLength != (long)Count * layer.Dimension)
            {
                throw new ArgumentException($"The calibration vectors of layer '{layer.Layer}' hold {values.LongLength} values; {Count} × {layer.Dimension} expected.");
            }
            int bad = ActivationBounds.FirstUnusable(values);
            if (bad >= 0)
            {
                throw new ArgumentException($"The calibration vectors of layer '{layer.Layer}' hold an unusable value ({ActivationBounds.Describe(values[bad])}) in vector {bad / layer.Dimension}.");
            }
        }
    }

    private static void CheckLabels(int[] labels, string what)
    {
        foreach (int label in labels)
        {
            if (label < NoLabel)
            {
                throw new ArgumentException($"A {what} label is {label}; labels are classes (≥ 0) or {NoLabel} for none.");
            }
        }
    }
}
