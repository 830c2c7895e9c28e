namespace Streaming.Detection.Scoring;

/// <summary>One layer of a <see cref="PerInputScorer"/>: the reference rows, their labels, the optional class model and the sorted calibration scores.</summary>
internal sealed class LayerScorer
{
    private readonly LayerReference _reference;
    private readonly int[] _labels;
    private readonly ClassMahalanobis? _mahalanobis;
    private double[] _sortedCalibration = [];

    public LayerScorer(LayerReference reference, int[] labels, NonconformityMeasure measure, bool hasLabels)
    {
        _reference = reference;
        _labels = labels;
        if (measure == NonconformityMeasure.ClassMahalanobis)
        {
            if (!hasLabels)
            {
                throw new InvalidOperationException($"Layer '{reference.Layer}': the class-conditional Mahalanobis score needs reference labels; this reference has none.");
            }
            _mahalanobis = new ClassMahalanobis(reference.Vectors, reference.Count, reference.Dimension, labels);
        }
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
    /// Nonconformity score of <paramref name="vector"/>, and the share of its k nearest reference
    /// rows whose label differs from <paramref name="predictedClass"/> (NaN when there is no class).
    /// </summary>
    public double Score(ReadOnlySpan<float> vector, int? predictedClass, Span<double> distances, Span<int> indices, out double disagreement)
    {
        if (vector.Length != _reference.Dimension)
        {
            throw new ArgumentException($"Layer '{Name}': the vector has {vector.Length} components; the reference has {_reference.Dimension}.");
        }
        NearestNeighbours.Search(_reference.Vectors, _reference.Count, _reference.Dimension, vector, distances, indices);
        disagreement = double.NaN;
        if (predictedClass is int predicted && _labels[indices[0]] != CalibrationSplit.NoLabel)
        {
            int differing = 0;
            foreach (int index in indices)
            {
                if (_labels[index] != predicted) differing++;
            }
            disagreement = differing / (double)indices.Length;
        }
        return _mahalanobis is null
            ? Math.Sqrt(distances[^1])
            : _mahalanobis.Distance(vector, predictedClass);
    }
}
