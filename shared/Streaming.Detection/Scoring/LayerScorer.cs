namespace Streaming.Detection.Scoring;

/// <summary>One layer of a <see cref="PerInputScorer"/>: the reference rows, their labels, the class model and the sorted calibration scores.</summary>
internal sealed class LayerScorer
{
    private readonly LayerReference _reference;
    private readonly int[] _labels;
    private readonly ClassMahalanobis? _classes;
    private readonly NonconformityMeasure _measure;
    private double[] _sortedCalibration = [];

    /// <param name="measure">The effective measure: <see cref="NonconformityMeasure.ClassMahalanobis"/> only with labels.</param>
    public LayerScorer(LayerReference reference, int[] labels, NonconformityMeasure measure, bool hasLabels)
    {
        if (measure == NonconformityMeasure.ClassMahalanobis && !hasLabels)
        {
            throw new InvalidOperationException($"Layer '{reference.Layer}': the class-conditional Mahalanobis score needs reference labels; this reference has none.");
        }
        _reference = reference;
        _labels = labels;
        _measure = measure;
        // The class model also gives the class gap (adversarial evidence) whenever labels exist.
        _classes = hasLabels ? new ClassMahalanobis(reference.Vectors, reference.Count, reference.Dimension, labels) : null;
    }

    public string Name => _reference.Layer;

    public int Dimension => _reference.Dimension;

    public ReadOnlySpan<double> SortedCalibration => _sortedCalibration;

    public void SetCalibration(double[] scores)
    {
        Array.Sort(scores);
        _sortedCalibration = scores;
    }

    /// <summary>
    /// Nonconformity score of <paramref name="vector"/>; the share of its k nearest reference rows whose
    /// label differs from <paramref name="predictedClass"/> and its class gap (both NaN without a class or labels).
    /// </summary>
    public double Score(ReadOnlySpan<float> vector, int? predictedClass, Span<double> distances, Span<int> indices, out double disagreement, out double gap)
    {
        if (vector.Length != _reference.Dimension)
        {
            throw new ArgumentException($"Layer '{Name}': the vector has {vector.Length} components; the reference has {_reference.Dimension}.");
        }
        NearestNeighbours.Search(_reference.Vectors, _reference.Count, _reference.Dimension, vector, distances, indices);
        disagreement = double.NaN;
        gap = double.NaN;
        double classDistance = double.NaN;
        if (_classes is not null)
        {
            var (predicted, nearest) = _classes.Distances(vector, predictedClass);
            classDistance = predicted;
            if (predictedClass is int label)
            {
                gap = predicted - nearest;
                int differing = 0;
                foreach (int index in indices)
                {
                    if (_labels[index] != label) differing++;
                }
                disagreement = differing / (double)indices.Length;
            }
        }
        return _measure == NonconformityMeasure.ClassMahalanobis ? classDistance : Math.Sqrt(distances[^1]);
    }
}
