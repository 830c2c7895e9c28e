namespace Streaming.Detection.Scoring;

/// <summary>
/// Per-input nonconformity scores and conformal p-values of single events against the clean reference
/// (issue 11, items 1 and 7). For each layer the score is the distance to the k-th nearest reference
/// vector (default; or the class-conditional Mahalanobis distance), its p-value is conformal against
/// the reference file's held-out calibration split, and the layers are fused with Bonferroni (see
/// <see cref="PValueFusion"/>). A clean input from the calibrated source gets super-uniform p-values.
/// The adversarial evidence is the k-NN label disagreement: the share of an input's nearest
/// reference vectors whose predicted class differs from the input's prediction, averaged over the
/// layers and made a conformal p-value against the same split.
/// Thread-safe after construction (read-only state; scratch space lives on each call's stack).
/// </summary>
public sealed class PerInputScorer
{
    private readonly LayerScorer[] _layers;
    private readonly double[] _sortedDisagreement;
    private readonly int _neighbours;

    /// <exception cref="MissingCalibrationException">The reference has no calibration split (a format v1 file).</exception>
    public PerInputScorer(ReferenceSet reference, PerInputScorerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Options = options ?? new PerInputScorerOptions();
        Options.Validate();
        var calibration = reference.RequireCalibration();
        calibration.CheckAgainst(reference.Layers);
        int referenceCount = reference.Layers[0].Count;
        if (Options.Neighbours > referenceCount)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.Neighbours, $"k = {Options.Neighbours} neighbours exceed the {referenceCount} reference vectors.");
        }
        _neighbours = Options.Neighbours;
        HasLabels = calibration.HasLabels;
        _layers = [.. reference.Layers.Select(l => new LayerScorer(l, calibration.ReferenceLabels, Options.Measure, HasLabels))];
        Layers = [.. _layers.Select(l => l.Name)];
        CalibrationCount = calibration.Count;

        // Scores of the held-out split against the reference, exactly as a new input is scored.
        var scores = _layers.Select(_ => new double[calibration.Count]).ToArray();
        var disagreement = new double[calibration.Count];
        Parallel.For(0, calibration.Count, i =>
        {
            int? label = calibration.Labels[i] == CalibrationSplit.NoLabel ? null : calibration.Labels[i];
            Span<double> distances = stackalloc double[_neighbours];
            Span<int> indices = stackalloc int[_neighbours];
            double total = 0;
            for (int l = 0; l < _layers.Length; l++)
            {
                int dimension = _layers[l].Dimension;
                var vector = calibration.Vectors[l].AsSpan(i * dimension, dimension);
                scores[l][i] = _layers[l].Score(vector, label, distances, indices, out double share);
                total += share;
            }
            disagreement[i] = total / _layers.Length;
        });
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l].SetCalibration(scores[l]);
        }
        Array.Sort(disagreement);
        _sortedDisagreement = HasLabels ? disagreement : [];
    }

    public PerInputScorerOptions Options { get; }

    /// <summary>Layer names in reference order: the order of the vectors passed to <see cref="Score"/>.</summary>
    public IReadOnlyList<string> Layers { get; }

    public int CalibrationCount { get; }

    /// <summary>Whether the reference carries classes, so that label disagreement and adversarial evidence exist.</summary>
    public bool HasLabels { get; }

    /// <param name="layerVectors">One vector per reference layer, in <see cref="Layers"/> order.</param>
    /// <param name="predictedClass">The model's predicted class of the input (ActivationEvent.predicted_class); null or negative when unknown.</param>
    public InputScore Score(IReadOnlyList<float[]> layerVectors, int? predictedClass)
    {
        ArgumentNullException.ThrowIfNull(layerVectors);
        if (layerVectors.Count != _layers.Length)
        {
            throw new ArgumentException($"Expected {_layers.Length} layer vectors ({string.Join(", ", Layers)}), got {layerVectors.Count}.", nameof(layerVectors));
        }
        int? label = predictedClass is >= 0 ? predictedClass : null;
        Span<double> distances = stackalloc double[_neighbours];
        Span<int> indices = stackalloc int[_neighbours];
        var layerScores = new double[_layers.Length];
        var pValues = new double[_layers.Length];
        var shares = new double[_layers.Length];
        double total = 0;
        for (int l = 0; l < _layers.Length; l++)
        {
            float[] vector = layerVectors[l] ?? throw new ArgumentException($"The vector of layer '{Layers[l]}' is null.", nameof(layerVectors));
            int bad = ActivationBounds.FirstUnusable(vector);
            if (bad >= 0)
            {
                throw new ArgumentException($"Layer '{Layers[l]}': component {bad} is unusable ({ActivationBounds.Describe(vector[bad])}).", nameof(layerVectors));
            }
            layerScores[l] = _layers[l].Score(vector, label, distances, indices, out double share);
            pValues[l] = ConformalPValue.Compute(_layers[l].SortedCalibration, layerScores[l]);
            shares[l] = share;
            total += share;
        }
        var (fused, smallest) = PValueFusion.Bonferroni(pValues);

        double? disagreement = null;
        double? adversarialP = null;
        if (label is not null && HasLabels)
        {
            disagreement = total / _layers.Length;
            adversarialP = ConformalPValue.Compute(_sortedDisagreement, disagreement.Value);
        }
        return new InputScore(layerScores, pValues, fused, smallest, Layers[smallest], disagreement, disagreement is null ? null : shares, adversarialP,
            adversarialP <= Options.AdversarialLevel);
    }

    /// <summary>Scores every event of a window.</summary>
    /// <param name="layerVectors">Per reference layer (in <see cref="Layers"/> order) the window's vectors, one per event.</param>
    /// <param name="predictedClasses">Predicted class per event (null entries or a null list when unknown).</param>
    public InputScore[] ScoreWindow(IReadOnlyList<float[][]> layerVectors, IReadOnlyList<int?>? predictedClasses)
    {
        ArgumentNullException.ThrowIfNull(layerVectors);
        if (layerVectors.Count != _layers.Length)
        {
            throw new ArgumentException($"Expected vectors of {_layers.Length} layers, got {layerVectors.Count}.", nameof(layerVectors));
        }
        int events = layerVectors[0]?.Length ?? 0;
        foreach (var layer in layerVectors)
        {
            if (layer is null || layer.Length != events)
            {
                throw new ArgumentException($"Every layer must hold the same {events} events.", nameof(layerVectors));
            }
        }
        if (predictedClasses is not null && predictedClasses.Count != events)
        {
            throw new ArgumentException($"{predictedClasses.Count} predicted classes for {events} events.", nameof(predictedClasses));
        }

        var results = new InputScore[events];
        var row = new float[_layers.Length][];
        for (int e = 0; e < events; e++)
        {
            for (int l = 0; l < _layers.Length; l++) row[l] = layerVectors[l][e];
            results[e] = Score(row, predictedClasses?[e]);
        }
        return results;
    }
}
