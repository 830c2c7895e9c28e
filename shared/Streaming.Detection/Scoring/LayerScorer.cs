using Streaming.Detection.Compute;

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

    /// <summary>The layer as a device backend needs it (<see cref="IInputScoreBackend.AddLayer"/>).</summary>
    public InputScoreLayer DeviceLayer()
    {
        if (_classes is null)
        {
            return new InputScoreLayer(Name, _reference.Vectors, _reference.Count, _reference.Dimension, null, null, null, null);
        }
        var (means, seen) = _classes.WhitenedMeans();
        return new InputScoreLayer(Name, _reference.Vectors, _reference.Count, _reference.Dimension, _labels, _classes.Whitening(), means, seen);
    }

    /// <summary>
    /// The same result as <see cref="Score"/> from a device's raw distances of one event: the score, the
    /// label disagreement and the class gap (both NaN without a class or labels).
    /// </summary>
    public double FromDevice(LayerEventScores raw, int index, int? predictedClass, int neighbours, out double disagreement, out double gap)
    {
        disagreement = double.NaN;
        gap = double.NaN;
        double classDistance = double.NaN;
        if (_classes is not null)
        {
            double predicted = raw.PredictedDistance[index];
            classDistance = predicted;
            if (predictedClass is not null)
            {
                gap = predicted - raw.NearestDistance[index];
                disagreement = raw.Differing[index] / (double)neighbours;
            }
        }
        return _measure == NonconformityMeasure.ClassMahalanobis ? classDistance : Math.Sqrt(raw.KthSquaredDistance[index]);
    }

    public void SetCalibration(double[] scores)
    {
        Array.Sort(scores);
        _sortedCalibration = scores;
    }

    /// <summary>Refuses a vector whose length is not the layer's dimension, naming the layer.</summary>
    public void CheckDimension(ReadOnlySpan<float> vector, string parameter)
    {
        if (vector.Length != _reference.Dimension)
        {
            throw new ArgumentException($"Layer '{Name}': the vector has {vector.Length} components; the reference has {_reference.Dimension}.", parameter);
        }
    }

    /// <summary>The k = distances.Length / count nearest reference rows of each of <paramref name="count"/> row-major vectors (see <see cref="NearestNeighbours.Search"/>).</summary>
    public void Neighbours(ReadOnlySpan<float> vectors, int count, Span<double> distances, Span<int> indices) =>
        NearestNeighbours.Search(_reference.Tiles, vectors, count, distances, indices);

    /// <summary>
    /// Per vector of <paramref name="vectors"/> (row-major, one per entry of <paramref name="classes"/>), its squared
    /// class distances (<see cref="ClassMahalanobis.DistancesMany"/>): to its predicted class (the nearest when it
    /// has none) and to the nearest class; false, and nothing written, without a class model.
    /// </summary>
    public bool ClassDistances(ReadOnlySpan<float> vectors, ReadOnlySpan<int?> classes, Span<double> predicted, Span<double> nearest)
    {
        if (_classes is null)
        {
            return false;
        }
        _classes.DistancesMany(vectors, classes, predicted, nearest);
        return true;
    }

    /// <summary>
    /// Nonconformity score of a vector from its k nearest reference rows (<see cref="Neighbours"/>) and its class
    /// distances (<see cref="ClassDistances"/>; NaN without a class model); the share of the neighbours whose label
    /// differs from <paramref name="predictedClass"/> and its class gap (both NaN without a class or labels).
    /// </summary>
    public double FromNeighbours(int? predictedClass, double predictedDistance, double nearestDistance, ReadOnlySpan<double> distances, ReadOnlySpan<int> indices,
        out double disagreement, out double gap)
    {
        disagreement = double.NaN;
        gap = double.NaN;
        double classDistance = double.NaN;
        if (_classes is not null)
        {
            classDistance = predictedDistance;
            if (predictedClass is int label)
            {
                gap = predictedDistance - nearestDistance;
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
