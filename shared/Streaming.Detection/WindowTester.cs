using static TorchSharp.torch;

namespace Streaming.Detection;

/// <summary>
/// Tests a window layer by layer against a reference set kept on one device, and combines the
/// layers into one decision. Uploads every layer once at construction.
/// </summary>
public sealed class WindowTester : IDisposable
{
    private readonly DeviceReference[] _layers;
    private readonly MmdPermutationTest _test;
    private readonly WindowTesterOptions _options;
    private readonly TimeProvider _time;

    public WindowTester(ReferenceSet references, Device device, WindowTesterOptions? options = null, TimeProvider? timeProvider = null)
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
        _time = timeProvider ?? TimeProvider.System;
        _test = new MmdPermutationTest(_options.Test);
        _layers = new DeviceReference[references.Layers.Count];
        try
        {
            for (int i = 0; i < _layers.Length; i++)
            {
                _layers[i] = DeviceReference.Upload(references.Layers[i], device);
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

    /// <param name="window">Vectors per layer; every reference layer must be present, no other, all with the same number of samples (sample i of every layer is the same input).</param>
    public WindowTestOutcome Test(IReadOnlyDictionary<string, float[][]> window)
    {
        ArgumentNullException.ThrowIfNull(window);
        long started = _time.GetTimestamp();
        int sampleCount = ValidateLayers(window);

        var results = new MmdTestResult[_layers.Length];
        for (int i = 0; i < _layers.Length; i++)
        {
            results[i] = _test.Run(_layers[i], window[_layers[i].Layer], LayerSeed(i));
        }

        double[] pValues = [.. results.Select(r => r.PValue)];
        double combined = MultipleTesting.Combine(_options.Correction, pValues);
        bool[] rejected = MultipleTesting.RejectedLayers(_options.Correction, pValues, _options.Alpha);
        var layers = results.Select((r, i) => new LayerTestOutcome(r.Layer, r.Mmd2, r.PValue, rejected[i])).ToArray();
        int[] top = TopSamples(results, rejected, sampleCount, _options.TopK);

        return new WindowTestOutcome(
            layers,
            _options.Correction,
            _options.Alpha,
            combined,
            Alert: combined < _options.Alpha,
            top,
            _time.GetElapsedTime(started));
    }

    // Distinct, reproducible permutations per layer (golden-ratio stride keeps seeds far apart).
    private ulong LayerSeed(int layerIndex) => unchecked(_options.Test.Seed + (ulong)layerIndex * 0x9E3779B97F4A7C15UL);

    private int ValidateLayers(IReadOnlyDictionary<string, float[][]> window)
    {
        foreach (string layer in window.Keys)
        {
            if (References.Find(layer) is null)
            {
                throw new ArgumentException(
                    $"Window has layer '{layer}', which the reference of model '{References.Model}' {References.ModelVersion} does not have " +
                    $"(known: {string.Join(", ", _layers.Select(l => l.Layer))}).", nameof(window));
            }
        }

        int? sampleCount = null;
        foreach (var reference in _layers)
        {
            if (!window.TryGetValue(reference.Layer, out var vectors) || vectors is null)
            {
                throw new ArgumentException($"Window lacks layer '{reference.Layer}', which the reference requires.", nameof(window));
            }
            if (sampleCount is { } expected && vectors.Length != expected)
            {
                throw new ArgumentException(
                    $"Window layer '{reference.Layer}' has {vectors.Length} samples but other layers have {expected}; every layer must hold the same inputs.",
                    nameof(window));
            }
            sampleCount = vectors.Length;
        }
        return sampleCount!.Value;
    }

    private static int[] TopSamples(MmdTestResult[] results, bool[] rejected, int sampleCount, int topK)
    {
        bool anyRejected = rejected.Any(r => r);
        var scores = new double[sampleCount];
        for (int layer = 0; layer < results.Length; layer++)
        {
            if (anyRejected && !rejected[layer])
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
        foreach (var layer in _layers)
        {
            layer?.Dispose();
        }
    }
}
