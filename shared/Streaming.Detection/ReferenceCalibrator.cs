using Streaming.Detection.Scoring;

namespace Streaming.Detection;

/// <summary>Builds a <see cref="ReferenceSet"/> from clean activation vectors.</summary>
public static class ReferenceCalibrator
{
    /// <summary>A reference without calibration split (MMD only; per-input scoring refuses it).</summary>
    /// <param name="vectorsByLayer">Clean vectors per layer; layers keep the dictionary's enumeration order.</param>
    public static ReferenceSet Create(
        string model,
        string version,
        IReadOnlyDictionary<string, float[][]> vectorsByLayer,
        TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(vectorsByLayer);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (vectorsByLayer.Count == 0)
        {
            throw new ArgumentException("Calibration needs vectors for at least one layer.", nameof(vectorsByLayer));
        }

        var layers = new List<LayerReference>(vectorsByLayer.Count);
        foreach (var (layer, vectors) in vectorsByLayer)
        {
            float[] flat = VectorMatrix.Flatten(vectors, expectedDimension: null, $"reference vectors of layer '{layer}'", out int dimension);
            if (vectors.Length < 2)
            {
                throw new ArgumentException($"Layer '{layer}' needs at least 2 reference vectors, got {vectors.Length}.", nameof(vectorsByLayer));
            }
            double bandwidth = MedianHeuristic.Bandwidth(flat, vectors.Length, dimension);
            layers.Add(new LayerReference(layer, vectors.Length, dimension, flat, bandwidth));
        }
        return new ReferenceSet(model, version, timeProvider.GetUtcNow(), layers);
    }

    /// <summary>
    /// A reference with the calibration split of per-input scoring (reference file format v2). The
    /// reference and calibration inputs should be the two disjoint parts of one seeded sample of the
    /// clean source (<see cref="CalibrationSample.Draw"/>); row i of every layer is the same input.
    /// </summary>
    /// <param name="referenceByLayer">Reference vectors per layer (the layer order of the set).</param>
    /// <param name="referenceLabels">Predicted class of each reference input (<see cref="CalibrationSplit.NoLabel"/> when the model has none).</param>
    /// <param name="calibrationByLayer">Calibration vectors per layer, same layers.</param>
    /// <param name="calibrationLabels">Predicted class of each calibration input.</param>
    /// <param name="seed">Seed the sample was drawn with (stored for provenance).</param>
    /// <param name="source">What the sample was drawn from, in words (stored for provenance).</param>
    public static ReferenceSet Create(
        string model,
        string version,
        IReadOnlyDictionary<string, float[][]> referenceByLayer,
        int[] referenceLabels,
        IReadOnlyDictionary<string, float[][]> calibrationByLayer,
        int[] calibrationLabels,
        ulong seed,
        string source,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(calibrationByLayer);
        ArgumentNullException.ThrowIfNull(calibrationLabels);
        var set = Create(model, version, referenceByLayer, timeProvider);
        var calibration = new List<float[]>(set.Layers.Count);
        foreach (var layer in set.Layers)
        {
            if (!calibrationByLayer.TryGetValue(layer.Layer, out var vectors))
            {
                throw new ArgumentException($"The calibration split has no vectors of layer '{layer.Layer}'.", nameof(calibrationByLayer));
            }
            calibration.Add(VectorMatrix.Flatten(vectors, layer.Dimension, $"calibration vectors of layer '{layer.Layer}'", out _));
        }
        if (calibrationByLayer.Count != set.Layers.Count)
        {
            throw new ArgumentException($"The calibration split holds {calibrationByLayer.Count} layers; the reference has {set.Layers.Count}.", nameof(calibrationByLayer));
        }
        return set with
        {
            Calibration = new CalibrationSplit(referenceLabels, calibrationLabels.Length, calibration, calibrationLabels, seed, source),
        };
    }
}
