namespace Streaming.Detection;

/// <summary>Builds a <see cref="ReferenceSet"/> from clean activation vectors.</summary>
public static class ReferenceCalibrator
{
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
}
