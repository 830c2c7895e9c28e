using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Detection;
using Streaming.Messaging;
using TorchSharp;

namespace Streaming.Detector;

/// <summary>
/// Owns the reference, uploaded once to the compute device (cuda when available and allowed),
/// and turns a window's events into per-layer matrices for the test. One test at a time: the
/// device is shared and a test already uses every core.
/// </summary>
public sealed partial class WindowTestRunner : IDisposable
{
    private readonly WindowTester _tester;
    private readonly Lock _gate = new();

    public WindowTestRunner(IOptions<DetectorOptions> options, ILogger<WindowTestRunner> logger)
    {
        var settings = options.Value;
        var reference = ReferenceFile.Load(settings.ReferencePath);
        var device = ComputeDevice.Resolve(settings.Device);
        _tester = new WindowTester(reference, device, new WindowTesterOptions
        {
            Alpha = settings.Alpha,
            Correction = settings.Correction,
            TopK = settings.TopK,
            Test = new MmdTestOptions { Permutations = settings.Permutations, Seed = (ulong)settings.Seed, Device = device },
        });
        LogLoaded(logger, reference.Model, reference.ModelVersion, string.Join(',', reference.Layers.Select(l => $"{l.Layer}[{l.Count}x{l.Dimension}]")), device.ToString());
    }

    public ReferenceSet Reference => _tester.References;

    public WindowTestOutcome Test(WindowReady window, IReadOnlyList<ActivationEvent> events) =>
        TestMany([new PreparedWindow(window, events, LayerMatrices(window, events))])[0];

    /// <summary>
    /// Per reference layer, the window's vectors in event order; throws <see cref="MalformedMessageException"/>
    /// when the window is of another model or an event lacks a layer (the window can never pass).
    /// </summary>
    public IReadOnlyDictionary<string, float[][]> LayerMatrices(WindowReady window, IReadOnlyList<ActivationEvent> events)
    {
        var first = events[0].Header;
        if (!string.Equals(first.Model, Reference.Model, StringComparison.Ordinal))
            throw new MalformedMessageException($"Window {window.WindowId} is of model '{first.Model}', but the reference is for '{Reference.Model}'.");

        var byLayer = new Dictionary<string, float[][]>(Reference.Layers.Count);
        foreach (var layer in Reference.Layers)
            byLayer[layer.Layer] = new float[events.Count][];
        for (var i = 0; i < events.Count; i++)
        {
            foreach (var activation in events[i].Layers)
            {
                if (byLayer.TryGetValue(activation.Layer, out var rows))
                    rows[i] = [.. activation.Values];
            }
        }

        foreach (var (layer, rows) in byLayer)
        {
            var missing = Array.FindIndex(rows, r => r is null);
            if (missing >= 0)
                throw new MalformedMessageException($"Event {events[missing].Header.EventId} in window {window.WindowId} has no activations for layer '{layer}'.");
        }

        return byLayer;
    }

    /// <summary>
    /// Tests a backlog of windows in one set of device calls (<see cref="WindowTester.TestMany"/>);
    /// outcome i equals what <see cref="Test"/> gives for window i alone.
    /// </summary>
    public IReadOnlyList<WindowTestOutcome> TestMany(IReadOnlyList<PreparedWindow> windows)
    {
        try
        {
            lock (_gate)
                return _tester.TestMany([.. windows.Select(w => w.Layers)]);
        }
        catch (ArgumentException ex)
        {
            // Dimension mismatches and NaN/Inf vectors: the window can never pass, so dead-letter it.
            // In a batch the consumer retries each window alone, which finds the one at fault.
            var which = windows.Count == 1 ? $"Window {windows[0].Window.WindowId}" : $"One of {windows.Count} windows";
            throw new MalformedMessageException($"{which} cannot be tested: {ex.Message}", ex);
        }
    }

    public void Dispose() => _tester.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Reference for {Model} {Version} loaded: {Layers} on {Device}")]
    private static partial void LogLoaded(ILogger logger, string model, string version, string layers, string device);
}
