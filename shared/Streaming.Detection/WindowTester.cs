using Streaming.Detection.Compute;
using Streaming.Detection.Decision;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Detection;

/// <summary>
/// Tests windows layer by layer against a reference set kept on one device, and combines the
/// layers into one decision. Uploads every layer once at construction. Several windows of the
/// same size are tested together (<see cref="TestMany"/>): per layer, their kernels and permutation
/// statistics are computed in one batched set of device operations, on top of the reference-only
/// part of the statistics, which is computed once per (layer, window size) and cached.
/// With <see cref="WindowTesterOptions.Null"/> = <see cref="MmdNullMode.Precomputed"/> a window is
/// compared instead with a null of clean windows drawn once per (layer, window size) from the
/// reference's held-out calibration split, so it costs only its observed statistic; a reference
/// without that split, or a window larger than the calibration pool, falls back to permutations.
/// Not thread-safe: callers serialise access (the device is shared and one test uses every core).
/// </summary>
public sealed class WindowTester : IDisposable
{
    private readonly DeviceReference[] _layers;
    private readonly IWindowStatisticsBackend _backend;
    private readonly WindowTesterOptions _options;
    private readonly TimeProvider _time;
    private readonly CalibrationPool[]? _pools;
    private readonly CalibrationNullCache? _nulls;
    private readonly CrossSumCache? _crossSums;
    private readonly HostCrossSums[]? _hostCrossSums;
    private readonly int _hostThreads;

    /// <param name="backend">
    /// Computes the permutation statistics (the tester adds the layers, hands it the permutations and
    /// disposes it); null: TorchSharp on <paramref name="device"/>. The precomputed null, the detection
    /// rate and every other family stay on TorchSharp.
    /// </param>
    public WindowTester(ReferenceSet references, Device device, WindowTesterOptions? options = null, TimeProvider? timeProvider = null,
        IWindowStatisticsBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(device);
        _options = options ?? new WindowTesterOptions();
        _options.Validate();
        if (references.Layers.Count == 0)
        {
            throw new ArgumentException($"Reference set for model '{references.Model}' has no layers.", nameof(references));
        }
        if (_options.Test.Device is { } configured && !TensorTransfer.SameDevice(configured, device))
        {
            throw new ArgumentException($"Options ask for device {configured} but the tester was given {device}.", nameof(options));
        }

        References = references;
        Device = device;
        _backend = backend!;
        _time = timeProvider ?? TimeProvider.System;
        _hostThreads = _options.HostThreads > 0 ? _options.HostThreads : Math.Max(1, torch.get_num_threads());
        _layers = new DeviceReference[references.Layers.Count];
        try
        {
            for (int i = 0; i < _layers.Length; i++)
            {
                _layers[i] = DeviceReference.Upload(references.Layers[i], device, _options.Test.BandwidthScales);
            }
            if (backend is null)
            {
                _backend = new TorchSharpStatisticsBackend(device, _layers);
            }
            else
            {
                _backend = backend;
                if (backend.LayerCount != 0)
                {
                    throw new ArgumentException($"The statistics backend ({backend.Description}) already holds {backend.LayerCount} layer(s); the tester adds its own.", nameof(backend));
                }
                foreach (var layer in references.Layers)
                {
                    backend.AddLayer(layer.Layer, layer.Vectors, layer.Count, layer.Dimension, layer.Bandwidth, _options.Test.BandwidthScales);
                }
            }
            if (_options.Null == MmdNullMode.Precomputed)
            {
                if (references.Calibration is { } split)
                {
                    _pools = [.. _layers.Select((layer, i) => CalibrationPool.Build(layer, split.Vectors[i], split.Count))];
                    _nulls = new CalibrationNullCache(_pools, _options.NullWindows, _options.NullSizeCapacity, _options.Test.Seed);
                    _crossSums = _options.CrossSumCache > 0 ? new CrossSumCache(_options.CrossSumCache) : null;
                    _hostCrossSums = device.type == DeviceType.CPU ? [.. _layers.Select(HostCrossSums.For)] : null;
                }
                else
                {
                    NullFallbackReason = $"the reference has no calibration split to draw clean windows from, so every window runs permutations ({references.MissingCalibrationMessage})";
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public ReferenceSet References { get; }

    public Device Device { get; }

    /// <summary>Threads the managed statistic against a precomputed null uses per call (<see cref="WindowTesterOptions.HostThreads"/>, resolved).</summary>
    public int HostThreads => _hostThreads;

    /// <summary>Which library and device compute the permutation statistics.</summary>
    public string BackendDescription => _backend.Description;

    /// <summary>The null windows get: <see cref="MmdNullMode.Precomputed"/> only when it was asked for and the reference has a calibration split.</summary>
    public MmdNullMode NullMode => _nulls is null ? MmdNullMode.Permutation : MmdNullMode.Precomputed;

    /// <summary>Why a requested precomputed null is not used at all; null when it is used or was not asked for.</summary>
    public string? NullFallbackReason { get; }

    /// <summary>Calibration vectors the precomputed null draws windows from (the largest size it serves); null without one.</summary>
    public int? NullPoolCount => _nulls?.PoolCount;

    /// <summary>Window sizes whose precomputed null is held now, most recently used first.</summary>
    public IReadOnlyList<int> PrecomputedNullSizes => _nulls?.Sizes ?? [];

    /// <summary>
    /// Events' cross-kernel sums kept for the next windows that hold them (<see cref="WindowTesterOptions.CrossSumCache"/>);
    /// null when it is 0 or the null is not precomputed. Used for windows whose events' keys <see cref="TestMany"/> is given.
    /// </summary>
    public CrossSumCache? CrossSums => _crossSums;

    /// <summary>The null a window of <paramref name="windowCount"/> samples is tested against (builds that size's precomputed null if needed).</summary>
    public MmdNullMode NullFor(int windowCount) => _nulls?.For(windowCount) is null ? MmdNullMode.Permutation : MmdNullMode.Precomputed;

    /// <summary>Builds the precomputed nulls of the expected window sizes now rather than at their first window; no-op in permutation mode.</summary>
    public void PrepareNull(IEnumerable<int> windowSizes)
    {
        ArgumentNullException.ThrowIfNull(windowSizes);
        foreach (int size in windowSizes)
        {
            _nulls?.For(size);
        }
    }

    /// <param name="window">Vectors per layer; every reference layer must be present, no other, all with the same number of samples (sample i of every layer is the same input).</param>
    public WindowTestOutcome Test(IReadOnlyDictionary<string, float[][]> window) => TestMany([window])[0];

    /// <summary>
    /// Tests several windows; outcome i belongs to window i and equals what <see cref="Test"/> gives
    /// for that window alone (same permutations per layer). Windows of equal size share device calls;
    /// each outcome's duration is its share of its group's time.
    /// </summary>
    /// <param name="eventKeys">
    /// Per window, its events' keys in sample order (an element null: an event without id), so that
    /// against a precomputed null an event's cross-kernel sums computed for one window serve the others
    /// (<see cref="CrossSums"/>); the outcomes are the same bits with or without. Null: no keys.
    /// </param>
    public IReadOnlyList<WindowTestOutcome> TestMany(IReadOnlyList<IReadOnlyDictionary<string, float[][]>> windows,
        IReadOnlyList<IReadOnlyList<EventKey?>?>? eventKeys = null)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (eventKeys is not null && eventKeys.Count != windows.Count)
        {
            throw new ArgumentException($"{eventKeys.Count} key lists for {windows.Count} windows.", nameof(eventKeys));
        }
        var sampleCounts = new int[windows.Count];
        for (int w = 0; w < windows.Count; w++)
        {
            ArgumentNullException.ThrowIfNull(windows[w], $"{nameof(windows)}[{w}]");
            sampleCounts[w] = ValidateLayers(windows[w], w);
            if (eventKeys?[w] is { } keys && keys.Count != sampleCounts[w])
            {
                throw new ArgumentException($"Window {w} has {sampleCounts[w]} samples but {keys.Count} event keys.", nameof(eventKeys));
            }
        }

        var outcomes = new WindowTestOutcome[windows.Count];
        foreach (var group in Enumerable.Range(0, windows.Count).GroupBy(w => sampleCounts[w]))
        {
            long started = _time.GetTimestamp();
            int[] members = [.. group];
            var nulls = _nulls?.For(group.Key);
            var results = nulls is null ? TestGroup(windows, members, group.Key) : TestGroupAgainstNull(windows, members, group.Key, nulls, eventKeys);
            AddRejectionShares(windows, members, results);
            var duration = _time.GetElapsedTime(started) / members.Length;
            var mode = nulls is null ? MmdNullMode.Permutation : MmdNullMode.Precomputed;
            for (int b = 0; b < members.Length; b++)
            {
                outcomes[members[b]] = Decide(results[b], group.Key, duration) with { Null = mode };
            }
        }
        return outcomes;
    }

    /// <returns>Per window of the group: per layer (MMD², p-value, witness scores, rejection share).</returns>
    private LayerStatistic[][] TestGroup(IReadOnlyList<IReadOnlyDictionary<string, float[][]>> windows, int[] members, int m)
    {
        int permutations = _options.Test.Permutations;
        var results = new LayerStatistic[members.Length][];
        for (int b = 0; b < members.Length; b++)
        {
            results[b] = new LayerStatistic[_layers.Length];
        }

        var flats = new float[_layers.Length][];
        for (int i = 0; i < _layers.Length; i++)
        {
            if (!_backend.HasPermutations(i, m))
            {
                // The permutations come from the seeded TorchSharp generator whatever the backend, so
                // every backend tests the same splits and gives the same p-values.
                _backend.SetPermutations(i, PermutationStatistics.RandomSet(_layers[i].Count, m, permutations, LayerSeed(i), Device));
            }
            flats[i] = Flatten(windows, members, m, _layers[i]);
        }

        // One call (one device-to-host transfer) for every window and layer of the group.
        float[] host = _backend.Compute(members.Length, m, flats);
        int stride = _layers.Length * (permutations + 1 + m);
        for (int b = 0; b < members.Length; b++)
        {
            for (int i = 0; i < _layers.Length; i++)
            {
                var row = host.AsSpan(b * stride + i * (permutations + 1 + m), permutations + 1 + m);
                results[b][i] = LayerStatistic.From(row, permutations);
            }
        }
        return results;
    }

    /// <returns>Per window of the group: per layer (MMD², p-value against the precomputed null, witness scores).</returns>
    private LayerStatistic[][] TestGroupAgainstNull(IReadOnlyList<IReadOnlyDictionary<string, float[][]>> windows, int[] members, int m, float[][] nulls,
        IReadOnlyList<IReadOnlyList<EventKey?>?>? eventKeys)
    {
        var results = new LayerStatistic[members.Length][];
        for (int b = 0; b < members.Length; b++)
        {
            results[b] = new LayerStatistic[_layers.Length];
        }

        if (Device.type == DeviceType.CPU)
        {
            // On the CPU the whole observed statistic is managed loops: a window's own m×m part costs less than a dozen
            // tensor calls per layer, and its new events' cross sums run the reference's tiles past six events at a
            // time (about twice as fast as the padded gemm blocks, measured in docs/measurements.md).
            // A group's vectors per layer run to hundreds of kilobytes: rented, not allocated (RentedArrays).
            using var flats = new RentedArrays(_layers.Length);
            for (int i = 0; i < _layers.Length; i++)
            {
                FlattenInto(windows, members, m, _layers[i], flats.Rent(i, members.Length * m * _layers[i].Dimension));   // validates the vectors first
            }
            var hostSums = WindowCrossSums.ComputeOnHost(_layers, windows, members, m, eventKeys, _crossSums, _hostCrossSums, _hostThreads);
            for (int i = 0; i < _layers.Length; i++)
            {
                var layer = _layers[i];
                float[] observed = HostWindowStatistics.Compute(_pools![i].ReferenceTerm, layer.Count, layer.Gammas, flats[i], hostSums[i], members.Length, m, layer.Dimension, _hostThreads);
                for (int b = 0; b < members.Length; b++)
                {
                    var row = observed.AsSpan(b * (1 + m), 1 + m);
                    results[b][i] = LayerStatistic.From(row[0], nulls[i], row[1..]);
                }
            }
            return results;
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var stacked = _layers.Select(layer => Stack(windows, members, m, layer)).ToArray();   // validates the vectors first
        var crossSums = WindowCrossSums.Compute(_layers, windows, members, m, eventKeys, _crossSums);
        var perLayer = new Tensor[_layers.Length];
        for (int i = 0; i < _layers.Length; i++)
        {
            perLayer[i] = ObservedLayerStatistics.Compute(_layers[i], _pools![i], stacked[i], crossSums[i]);   // B×(1+m)
        }
        float[] host = TensorTransfer.Download(torch.cat(perLayer, 1));
        int stride = _layers.Length * (1 + m);
        for (int b = 0; b < members.Length; b++)
        {
            for (int i = 0; i < _layers.Length; i++)
            {
                var row = host.AsSpan(b * stride + i * (1 + m), 1 + m);
                results[b][i] = LayerStatistic.From(row[0], nulls[i], row[1..]);
            }
        }
        return results;
    }

    /// <summary>B×m×d of the group's windows for one layer, uploaded in one transfer.</summary>
    private static Tensor Stack(IReadOnlyList<IReadOnlyDictionary<string, float[][]>> windows, int[] members, int m, DeviceReference reference) =>
        torch.tensor(Flatten(windows, members, m, reference), [members.Length, m, reference.Dimension], ScalarType.Float32, reference.Device);

    /// <summary>Row-major B×m×d of the group's windows for one layer.</summary>
    private static float[] Flatten(IReadOnlyList<IReadOnlyDictionary<string, float[][]>> windows, int[] members, int m, DeviceReference reference)
    {
        var flat = new float[members.Length * m * reference.Dimension];
        FlattenInto(windows, members, m, reference, flat);
        return flat;
    }

    /// <summary><see cref="Flatten"/> into the first B×m×d values of <paramref name="flat"/>.</summary>
    private static void FlattenInto(IReadOnlyList<IReadOnlyDictionary<string, float[][]>> windows, int[] members, int m, DeviceReference reference, Span<float> flat)
    {
        for (int b = 0; b < members.Length; b++)
        {
            var vectors = windows[members[b]][reference.Layer];
            VectorMatrix.FlattenInto(vectors, reference.Dimension, $"window vectors of layer '{reference.Layer}'",
                flat.Slice(b * m * reference.Dimension, m * reference.Dimension));
        }
    }

    private void AddRejectionShares(IReadOnlyList<IReadOnlyDictionary<string, float[][]>> windows, int[] members, LayerStatistic[][] results)
    {
        if (_options.DetectionRate is { } rate)
        {
            for (int b = 0; b < members.Length; b++)
            {
                for (int i = 0; i < _layers.Length; i++)
                {
                    double share = DetectionRateEstimator.RejectionShare(
                        _layers[i], windows[members[b]][_layers[i].Layer], rate, _options.Alpha, LayerSeed(i));
                    results[b][i] = results[b][i] with { RejectionShare = share };
                }
            }
        }
    }

    private WindowTestOutcome Decide(LayerStatistic[] results, int sampleCount, TimeSpan duration)
    {
        double[] pValues = [.. results.Select(r => r.PValue)];
        double combined = MultipleTesting.Combine(_options.Correction, pValues);
        bool[] rejected = MultipleTesting.RejectedLayers(_options.Correction, pValues, _options.Alpha);
        var layers = results.Select((r, i) => new LayerTestOutcome(_layers[i].Layer, r.Mmd2, r.PValue, rejected[i] && r.Problem is null, r.RejectionShare, r.Problem)).ToArray();
        int[] top = TopSamples(results, rejected, sampleCount, _options.TopK);
        return new WindowTestOutcome(layers, _options.Correction, _options.Alpha, combined, Alert: combined < _options.Alpha, top, duration);
    }

    // Distinct, reproducible permutations per layer (golden-ratio stride keeps seeds far apart).
    private ulong LayerSeed(int layerIndex) => unchecked(_options.Test.Seed + (ulong)layerIndex * 0x9E3779B97F4A7C15UL);

    private int ValidateLayers(IReadOnlyDictionary<string, float[][]> window, int position)
    {
        string which = position == 0 ? "Window" : $"Window {position}";
        foreach (string layer in window.Keys)
        {
            if (References.Find(layer) is null)
            {
                throw new ArgumentException(
                    $"{which} has layer '{layer}', which the reference of model '{References.Model}' {References.ModelVersion} does not have " +
                    $"(known: {string.Join(", ", _layers.Select(l => l.Layer))}).", nameof(window));
            }
        }

        int? sampleCount = null;
        foreach (var reference in _layers)
        {
            if (!window.TryGetValue(reference.Layer, out var vectors) || vectors is null)
            {
                throw new ArgumentException($"{which} lacks layer '{reference.Layer}', which the reference requires.", nameof(window));
            }
            if (sampleCount is { } expected && vectors.Length != expected)
            {
                throw new ArgumentException(
                    $"{which} layer '{reference.Layer}' has {vectors.Length} samples but other layers have {expected}; every layer must hold the same inputs.",
                    nameof(window));
            }
            sampleCount = vectors.Length;
        }
        if (sampleCount < 2)
        {
            throw new ArgumentException($"{which} has {sampleCount} sample(s); the unbiased MMD² needs at least 2.", nameof(window));
        }
        return sampleCount!.Value;
    }

    private static int[] TopSamples(LayerStatistic[] results, bool[] rejected, int sampleCount, int topK)
    {
        bool anyRejected = rejected.Any(r => r);
        var scores = new double[sampleCount];
        for (int layer = 0; layer < results.Length; layer++)
        {
            if ((anyRejected && !rejected[layer]) || results[layer].Problem is not null)
            {
                continue;
            }
            var witness = results[layer].WitnessScores;
            for (int i = 0; i < sampleCount; i++)
            {
                scores[i] += witness[i];
            }
        }
        return [.. Enumerable.Range(0, sampleCount)
            .OrderByDescending(i => scores[i])
            .ThenBy(i => i)
            .Take(Math.Min(topK, sampleCount))];
    }

    public void Dispose()
    {
        _backend?.Dispose();
        foreach (var layer in _layers)
        {
            layer?.Dispose();
        }
    }
}
