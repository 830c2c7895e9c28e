using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using Streaming.Detection.Compute;

namespace Streaming.Detection.Ilgpu;

/// <summary>
/// The per-input scores' raw distances as ILGPU kernels (<see cref="ScoreKernels"/>) on a CUDA GPU or
/// ILGPU's CPU accelerator. Every kernel of a call is queued on the accelerator's default stream and
/// the host waits once, before downloading each layer's per-event results.
/// </summary>
public sealed class IlgpuInputScoreBackend : IInputScoreBackend
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly List<IlgpuScoreLayer> _layers = [];
    private MemoryBuffer1D<int, Stride1D.Dense>? _predictedClasses;
    private bool _disposed;

    private readonly Action<Index1D, ScoreShape, ArrayView<float>, ArrayView<float>, ArrayView<float>> _whiten;
    private readonly Action<Index1D, ScoreShape, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>> _classDistances;
    private readonly Action<Index1D, ScoreShape, ArrayView<float>, ArrayView<float>, ArrayView<float>> _neighbourDistances;
    private readonly Action<Index1D, ScoreShape, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<int>> _neighbours;

    public IlgpuInputScoreBackend(IlgpuTarget target = IlgpuTarget.Auto)
    {
        (_context, _accelerator, (_whiten, _classDistances, _neighbourDistances, _neighbours)) = IlgpuDevices.Open(target, accelerator => (
            accelerator.LoadAutoGroupedStreamKernel<Index1D, ScoreShape, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ScoreKernels.Whiten),
            accelerator.LoadAutoGroupedStreamKernel<Index1D, ScoreShape, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>>(ScoreKernels.ClassDistances),
            accelerator.LoadAutoGroupedStreamKernel<Index1D, ScoreShape, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ScoreKernels.NeighbourDistances),
            accelerator.LoadAutoGroupedStreamKernel<Index1D, ScoreShape, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<int>>(ScoreKernels.Neighbours)));
        Description = IlgpuDevices.Describe(_accelerator);
    }

    public string Description { get; }

    /// <summary>True when the kernels run on a CUDA GPU rather than the CPU accelerator.</summary>
    public bool OnGpu => _accelerator.AcceleratorType == AcceleratorType.Cuda;

    public int LayerCount => _layers.Count;

    public int AddLayer(InputScoreLayer layer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentException.ThrowIfNullOrWhiteSpace(layer.Name);
        int n = layer.Count, d = layer.Dimension;
        if (n < 1 || d < 1 || layer.Vectors is null || layer.Vectors.LongLength != (long)n * d)
        {
            throw new ArgumentException($"Layer '{layer.Name}': {layer.Vectors?.LongLength ?? 0} values do not form {n} (≥ 1) vectors of dimension {d} (≥ 1).", nameof(layer));
        }
        if (layer.Labels is not null && layer.Labels.Length != n)
        {
            throw new ArgumentException($"Layer '{layer.Name}': {layer.Labels.Length} labels for {n} reference vectors.", nameof(layer));
        }
        int classes = 0;
        if (layer.HasClassModel)
        {
            classes = layer.Classes;
            if (layer.Whitening!.LongLength != (long)d * d || layer.WhitenedMeans!.LongLength != (long)classes * d)
            {
                throw new ArgumentException($"Layer '{layer.Name}': the class model must hold a {d}×{d} whitening and {classes}×{d} whitened means.", nameof(layer));
            }
        }

        // Placeholders of one element keep every kernel's views valid for a layer without labels.
        var created = new IlgpuScoreLayer(layer.Name, n, d, classes, layer.Labels is not null,
            _accelerator.Allocate1D(layer.Vectors),
            _accelerator.Allocate1D(layer.Labels ?? [0]),
            _accelerator.Allocate1D(classes > 0 ? [.. layer.Whitening!.Select(v => (float)v)] : new float[1]),
            _accelerator.Allocate1D(classes > 0 ? [.. layer.WhitenedMeans!.Select(v => (float)v)] : new float[1]),
            _accelerator.Allocate1D(classes > 0 ? [.. layer.ClassSeen!.Select(s => s ? 1 : 0)] : new int[1]));
        _layers.Add(created);
        return _layers.Count - 1;
    }

    public LayerEventScores[] Score(int events, IReadOnlyList<float[]> vectors, int[] predictedClasses, int neighbours)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(predictedClasses);
        if (vectors.Count != _layers.Count)
        {
            throw new ArgumentException($"Vectors of {vectors.Count} layers for a backend of {_layers.Count}.", nameof(vectors));
        }
        if (predictedClasses.Length != events)
        {
            throw new ArgumentException($"{predictedClasses.Length} predicted classes for {events} events.", nameof(predictedClasses));
        }
        for (int l = 0; l < _layers.Count; l++)
        {
            var layer = _layers[l];
            if (vectors[l] is null || vectors[l].LongLength != (long)events * layer.Dimension)
            {
                throw new ArgumentException($"Layer '{layer.Name}': {vectors[l]?.LongLength ?? 0} values are not {events} vectors of dimension {layer.Dimension}.", nameof(vectors));
            }
            if (neighbours < 1 || neighbours > layer.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(neighbours), neighbours, $"k must lie in [1, {layer.Count}] for layer '{layer.Name}'.");
            }
        }
        if (events == 0)
        {
            return [.. _layers.Select(_ => new LayerEventScores([], [], [], []))];
        }

        if (_predictedClasses is null || _predictedClasses.Length < events)
        {
            _predictedClasses?.Dispose();
            _predictedClasses = _accelerator.Allocate1D<int>(BufferCapacity.RoundUp(events));
        }
        _predictedClasses.View.SubView(0, events).CopyFromCPU(ref MemoryMarshal.GetArrayDataReference(predictedClasses), events);

        var scratches = new ScoreScratch[_layers.Count];
        for (int l = 0; l < _layers.Count; l++)
        {
            var layer = _layers[l];
            var scratch = scratches[l] = Scratch(layer, events, neighbours);
            var shape = layer.Shape(events, neighbours);
            long values = (long)events * layer.Dimension;
            scratch.Vectors.View.SubView(0, values).CopyFromCPU(ref MemoryMarshal.GetArrayDataReference(vectors[l]), values);
            if (layer.HasClassModel)
            {
                _whiten(checked(events * layer.Dimension), shape, scratch.Vectors.View, layer.Whitening.View, scratch.Whitened.View);
                _classDistances(events, shape, scratch.Whitened.View, layer.Means.View, layer.Seen.View, _predictedClasses.View, scratch.Predicted.View, scratch.Nearest.View);
            }
            _neighbourDistances(checked(events * layer.Count), shape, scratch.Vectors.View, layer.Reference.View, scratch.Distances.View);
            _neighbours(events, shape, scratch.Distances.View, layer.Labels.View, _predictedClasses.View,
                scratch.BestDistances.View, scratch.BestRows.View, scratch.Kth.View, scratch.Differing.View);
        }

        // The one wait of the call; then each layer's per-event results come back.
        _accelerator.Synchronize();
        var results = new LayerEventScores[_layers.Count];
        for (int l = 0; l < _layers.Count; l++)
        {
            var scratch = scratches[l];
            var predicted = new float[events];
            var nearest = new float[events];
            if (_layers[l].HasClassModel)
            {
                scratch.Predicted.View.SubView(0, events).CopyToCPU(ref MemoryMarshal.GetArrayDataReference(predicted), events);
                scratch.Nearest.View.SubView(0, events).CopyToCPU(ref MemoryMarshal.GetArrayDataReference(nearest), events);
            }
            else
            {
                Array.Fill(predicted, float.NaN);
                Array.Fill(nearest, float.NaN);
            }
            var kth = new float[events];
            var differing = new int[events];
            scratch.Kth.View.SubView(0, events).CopyToCPU(ref MemoryMarshal.GetArrayDataReference(kth), events);
            scratch.Differing.View.SubView(0, events).CopyToCPU(ref MemoryMarshal.GetArrayDataReference(differing), events);
            results[l] = new LayerEventScores(predicted, nearest, kth, differing);
        }
        return results;
    }

    private ScoreScratch Scratch(IlgpuScoreLayer layer, int events, int neighbours)
    {
        if (layer.Scratch is { } held && held.Fits(events, neighbours))
        {
            return held;
        }
        int capacity = BufferCapacity.RoundUp(events, layer.Scratch is { } old && old.Neighbours == neighbours ? old.Capacity : 1);
        layer.Scratch?.Dispose();
        layer.Scratch = new ScoreScratch(_accelerator, capacity, neighbours, layer.Count, layer.Dimension);
        return layer.Scratch;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var layer in _layers)
        {
            layer.Dispose();
        }
        _layers.Clear();
        _predictedClasses?.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }
}
