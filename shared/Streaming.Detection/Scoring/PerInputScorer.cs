using System.Buffers;
using Streaming.Detection.Compute;

namespace Streaming.Detection.Scoring;

/// <summary>
/// Per-input nonconformity scores and conformal p-values of single events against the clean reference
/// (issue 11, items 1 and 7). For each layer the score is the class-conditional Mahalanobis distance
/// to the predicted class (default, chosen by measured AUC, see <see cref="PerInputScorerOptions.Measure"/>)
/// or the distance to the k-th nearest reference vector; its p-value is conformal against the reference
/// file's held-out calibration split; the layers are fused by a conformal p-value of the summed log
/// p-values (<see cref="LayerFusion.Conformal"/>, default) or with Bonferroni (see <see cref="PValueFusion"/>).
/// A clean input from the calibrated source gets super-uniform p-values. The adversarial evidence is
/// the class gap (or k-NN label disagreement), made a conformal p-value against the same split.
/// Thread-safe after construction (read-only state; scratch space is each call's own; calls
/// on a device backend are serialised). With a device backend (<see cref="IInputScoreBackend"/>),
/// <see cref="ScoreWindow"/> computes the raw per-layer distances of its events in one device call
/// (float32) and everything after them (p-values, fusion, evidence) as on the CPU. The calibration
/// split is then scored by the same device kernels, so an input equal to a calibration input ties with
/// it exactly, as on the CPU, and the conformal guarantee holds for the score the device computes; the
/// device changes a p-value only where float32 rounding reorders a score and a distinct calibration score.
/// </summary>
public sealed class PerInputScorer
{
    private readonly LayerScorer[] _layers;
    private readonly double[] _sortedEvidence;
    private readonly int _neighbours;
    private readonly ConformalFusion _fusion;
    private readonly IInputScoreBackend? _backend;
    private readonly Lock _backendGate = new();

    /// <exception cref="MissingCalibrationException">The reference has no calibration split (a format v1 file).</exception>
    /// <param name="backend">
    /// Device backend for <see cref="ScoreWindow"/>, empty (no layers yet; this scorer adds its layers);
    /// null scores on the CPU. The caller owns and disposes it.
    /// </param>
    public PerInputScorer(ReferenceSet reference, PerInputScorerOptions? options = null, IInputScoreBackend? backend = null)
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
        EffectiveMeasure = HasLabels ? Options.Measure : NonconformityMeasure.KnnDistance;
        _layers = [.. reference.Layers.Select(l => new LayerScorer(l, calibration.ReferenceLabels, EffectiveMeasure, HasLabels))];
        Layers = [.. _layers.Select(l => l.Name)];
        CalibrationCount = calibration.Count;

        if (backend is not null)
        {
            if (backend.LayerCount != 0)
            {
                throw new ArgumentException($"The input score backend already holds {backend.LayerCount} layer(s); a scorer needs an empty one.", nameof(backend));
            }
            foreach (var layer in _layers) backend.AddLayer(layer.DeviceLayer());
            _backend = backend;
        }

        // Scores of the held-out split against the reference, exactly as a new input is scored (on the same backend).
        var scores = _layers.Select(_ => new double[calibration.Count]).ToArray();
        var evidence = new double[calibration.Count];
        var calibrationLabels = calibration.Labels.Select(label => label == CalibrationSplit.NoLabel ? null : (int?)label).ToArray();
        if (_backend is not null)
        {
            var raw = RawOnDevice((l, i) => calibration.Vectors[l].AsSpan(i * _layers[l].Dimension, _layers[l].Dimension), calibrationLabels);
            for (int i = 0; i < raw.Length; i++)
            {
                for (int l = 0; l < _layers.Length; l++) scores[l][i] = raw[i].Scores[l];
                evidence[i] = raw[i].Signal;
            }
        }
        else
        {
            int chunks = (calibration.Count + CalibrationChunk - 1) / CalibrationChunk;
            Parallel.For(0, chunks, c =>
            {
                int start = c * CalibrationChunk;
                var raw = RawOnHost((l, i) => calibration.Vectors[l].AsSpan(i * _layers[l].Dimension, _layers[l].Dimension), calibrationLabels, start,
                    Math.Min(CalibrationChunk, calibration.Count - start));
                for (int i = 0; i < raw.Length; i++)
                {
                    for (int l = 0; l < _layers.Length; l++) scores[l][start + i] = raw[i].Scores[l];
                    evidence[start + i] = raw[i].Signal;
                }
            });
        }
        var sorted = scores.Select(layer => layer.Order().ToArray()).ToArray();
        _fusion = new ConformalFusion(sorted, scores);
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l].SetCalibration(sorted[l]);
        }
        Array.Sort(evidence);
        _sortedEvidence = HasLabels ? evidence : [];
    }

    /// <summary>Most events per device call: bounds the device buffers (events × reference distances per layer) whatever the window or calibration size.</summary>
    public const int MaxDeviceBatch = 1024;

    private delegate ReadOnlySpan<float> EventVectorOf(int layer, int index);

    /// <summary>The device backend's description; null when scores are computed on the CPU.</summary>
    public string? BackendDescription => _backend?.Description;

    // Calibration inputs scored together on the CPU: enough to run six at a time past each reference tile,
    // few enough that the chunks spread over the cores.
    private const int CalibrationChunk = 96;

    public PerInputScorerOptions Options { get; }

    /// <summary>The measure in use: <see cref="PerInputScorerOptions.Measure"/>, or the k-NN distance for a reference without labels.</summary>
    public NonconformityMeasure EffectiveMeasure { get; }

    /// <summary>Layer names in reference order: the order of the vectors passed to <see cref="Score"/>.</summary>
    public IReadOnlyList<string> Layers { get; }

    public int CalibrationCount { get; }

    /// <summary>Whether the reference carries classes, so that class gap, label disagreement and adversarial evidence exist.</summary>
    public bool HasLabels { get; }

    /// <param name="layerVectors">One vector per reference layer, in <see cref="Layers"/> order.</param>
    /// <param name="predictedClass">The model's predicted class of the input (ActivationEvent.predicted_class); null or negative when unknown.</param>
    public InputScore Score(IReadOnlyList<float[]> layerVectors, int? predictedClass)
    {
        CheckVectors(layerVectors);
        int? label = predictedClass is >= 0 ? predictedClass : null;
        var (layerScores, gaps, shares, signal) = RawOnHost((l, _) => layerVectors[l], [label], 0, 1)[0];
        return Assemble(layerScores, gaps, shares, signal, label);
    }

    private void CheckVectors(IReadOnlyList<float[]> layerVectors)
    {
        ArgumentNullException.ThrowIfNull(layerVectors);
        if (layerVectors.Count != _layers.Length)
        {
            throw new ArgumentException($"Expected {_layers.Length} layer vectors ({string.Join(", ", Layers)}), got {layerVectors.Count}.", nameof(layerVectors));
        }
        for (int l = 0; l < _layers.Length; l++)
        {
            float[] vector = layerVectors[l] ?? throw new ArgumentException($"The vector of layer '{Layers[l]}' is null.", nameof(layerVectors));
            _layers[l].CheckDimension(vector, nameof(layerVectors));
            int bad = ActivationBounds.FirstUnusable(vector);
            if (bad >= 0)
            {
                throw new ArgumentException($"Layer '{Layers[l]}': component {bad} is unusable ({ActivationBounds.Describe(vector[bad])}).", nameof(layerVectors));
            }
        }
    }

    /// <summary>The input's score from its per-layer raw scores: conformal p-values, fusion and adversarial evidence.</summary>
    private InputScore Assemble(double[] layerScores, double[] gaps, double[] shares, double signal, int? label)
    {
        var pValues = new double[_layers.Length];
        for (int l = 0; l < _layers.Length; l++)
        {
            pValues[l] = ConformalPValue.Compute(_layers[l].SortedCalibration, layerScores[l]);
        }
        var (bonferroni, smallest) = PValueFusion.Bonferroni(pValues);
        double fused = Options.Fusion == LayerFusion.Conformal ? _fusion.PValue(pValues) : bonferroni;
        bool labelled = label is not null && HasLabels;
        double? adversarialP = labelled ? ConformalPValue.Compute(_sortedEvidence, signal) : null;
        return new InputScore(layerScores, pValues, fused, smallest, Layers[smallest],
            labelled ? gaps.Sum() : null, labelled ? gaps : null,
            labelled ? shares.Average() : null, labelled ? shares : null,
            adversarialP, adversarialP <= Options.AdversarialLevel);
    }

    /// <summary>Scores every event of a window: on the device backend in one call when there is one, all events together on the CPU otherwise.</summary>
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

        var row = new float[_layers.Length][];
        var labels = new int?[events];
        for (int e = 0; e < events; e++)
        {
            for (int l = 0; l < _layers.Length; l++) row[l] = layerVectors[l][e];
            CheckVectors(row);
            labels[e] = predictedClasses?[e] is int c and >= 0 ? c : null;
        }
        var raw = _backend is not null
            ? RawOnDevice((l, e) => layerVectors[l][e], labels)
            : RawOnHost((l, e) => layerVectors[l][e], labels, 0, events);
        var results = new InputScore[events];
        for (int e = 0; e < events; e++)
        {
            results[e] = Assemble(raw[e].Scores, raw[e].Gaps, raw[e].Shares, raw[e].Signal, labels[e]);
        }
        return results;
    }

    /// <summary>Per event what <see cref="RawOnHost"/> gives, from the device backend in calls of at most <see cref="MaxDeviceBatch"/> events.</summary>
    private (double[] Scores, double[] Gaps, double[] Shares, double Signal)[] RawOnDevice(EventVectorOf vectorOf, int?[] labels)
    {
        var results = new (double[] Scores, double[] Gaps, double[] Shares, double Signal)[labels.Length];
        for (int start = 0; start < labels.Length; start += MaxDeviceBatch)
        {
            int events = Math.Min(MaxDeviceBatch, labels.Length - start);
            var flat = new float[_layers.Length][];
            for (int l = 0; l < _layers.Length; l++)
            {
                int d = _layers[l].Dimension;
                flat[l] = new float[(long)events * d];
                for (int e = 0; e < events; e++) vectorOf(l, start + e).CopyTo(flat[l].AsSpan(e * d, d));
            }
            var classes = new int[events];
            for (int e = 0; e < events; e++) classes[e] = labels[start + e] ?? -1;
            LayerEventScores[] raw;
            lock (_backendGate)
            {
                raw = _backend!.Score(events, flat, classes, _neighbours);
            }
            for (int e = 0; e < events; e++)
            {
                int? label = labels[start + e];
                results[start + e] = Raw(label, (int l, out double share, out double gap) => _layers[l].FromDevice(raw[l], e, label, _neighbours, out share, out gap));
            }
        }
        return results;
    }

    private delegate double LayerScoreOf(int layer, out double share, out double gap);

    /// <summary>One event's per-layer scores, label disagreements and class gaps from <paramref name="layerScore"/>, and its adversarial signal.</summary>
    private (double[] Scores, double[] Gaps, double[] Shares, double Signal) Raw(int? label, LayerScoreOf layerScore)
    {
        var scores = new double[_layers.Length];
        var gaps = new double[_layers.Length];
        var shares = new double[_layers.Length];
        for (int l = 0; l < _layers.Length; l++)
        {
            scores[l] = layerScore(l, out shares[l], out gaps[l]);
        }
        return (scores, gaps, shares, Signal(label, gaps, shares));
    }

    private double Signal(int? label, double[] gaps, double[] shares) => label is null || !HasLabels ? 0
        : Options.AdversarialSignal == AdversarialSignal.ClassGap ? gaps.Sum() : shares.Average();

    /// <summary>
    /// Per event of labels[start … start + count − 1]: its per-layer scores, class gaps and label disagreements
    /// (NaN without a class) and the adversarial signal (0 without a class), on the CPU. Each layer's nearest
    /// neighbours are searched for all the events at once; an event's result does not depend on the others.
    /// </summary>
    private (double[] Scores, double[] Gaps, double[] Shares, double Signal)[] RawOnHost(EventVectorOf vectorOf, int?[] labels, int start, int count)
    {
        if (count == 0)
        {
            return [];
        }
        int k = _neighbours;
        var distances = new double[_layers.Length][];
        var indices = new int[_layers.Length][];
        var predicted = new double[_layers.Length][];
        var nearest = new double[_layers.Length][];
        var classes = labels.AsSpan(start, count);
        for (int l = 0; l < _layers.Length; l++)
        {
            int d = _layers[l].Dimension;
            // Rented: a batch's events of one layer are often past the large object heap's threshold.
            var rented = ArrayPool<float>.Shared.Rent(count * d);
            try
            {
                var flat = rented.AsSpan(0, count * d);
                for (int e = 0; e < count; e++) vectorOf(l, start + e).CopyTo(flat.Slice(e * d, d));
                distances[l] = new double[count * k];
                indices[l] = new int[count * k];
                _layers[l].Neighbours(flat, count, distances[l], indices[l]);
                predicted[l] = new double[count];
                nearest[l] = new double[count];
                if (!_layers[l].ClassDistances(flat, classes, predicted[l], nearest[l]))
                {
                    predicted[l].AsSpan().Fill(double.NaN);
                    nearest[l].AsSpan().Fill(double.NaN);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }

        var results = new (double[] Scores, double[] Gaps, double[] Shares, double Signal)[count];
        for (int e = 0; e < count; e++)
        {
            int? label = labels[start + e];
            results[e] = Raw(label, (int l, out double share, out double gap) => _layers[l].FromNeighbours(label, predicted[l][e], nearest[l][e],
                distances[l].AsSpan(e * k, k), indices[l].AsSpan(e * k, k), out share, out gap));
        }
        return results;
    }
}
