using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using Streaming.Detection.Compute;

namespace Streaming.Detection.Ilgpu;

/// <summary>
/// The window test's statistics as ILGPU kernels (<see cref="StatisticsKernels"/>) on a CUDA GPU or
/// ILGPU's CPU accelerator. Every kernel of a call is queued on the accelerator's default stream and
/// the host waits once, for the single download of all layers' statistics.
/// </summary>
public sealed class IlgpuStatisticsBackend : IWindowStatisticsBackend
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly List<IlgpuLayer> _layers = [];
    private readonly Dictionary<int, WindowScratch> _scratch = [];
    private MemoryBuffer1D<float, Stride1D.Dense>? _output;
    private bool _disposed;

    private readonly Action<Index1D, KernelShape, ArrayView<float>, ArrayView<float>> _squaredNorms;
    private readonly Action<Index1D, KernelShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _referenceRowSums;
    private readonly Action<Index1D, KernelShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<double>> _referencePart;
    private readonly Action<Index1D, KernelShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _cross;
    private readonly Action<Index1D, KernelShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _within;
    private readonly Action<Index1D, KernelShape, ArrayView<float>, ArrayView<float>> _crossRowSums;
    private readonly Action<Index1D, KernelShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _windowColumns;
    private readonly Action<Index1D, KernelShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>> _windowTotals;
    private readonly Action<Index1D, KernelShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<int>, ArrayView<int>, ArrayView<double>, ArrayView<float>> _statistics;

    public IlgpuStatisticsBackend(IlgpuTarget target = IlgpuTarget.Auto)
    {
        (_context, _accelerator, (_squaredNorms, _referenceRowSums, _referencePart, _cross, _within, _crossRowSums, _windowColumns, _windowTotals, _statistics)) = IlgpuDevices.Open(target, accelerator => (
            accelerator.LoadAutoGroupedStreamKernel<Index1D, KernelShape, ArrayView<float>, ArrayView<float>>(StatisticsKernels.SquaredNorms),
            accelerator.LoadAutoGroupedStreamKernel<Index1D, KernelShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(StatisticsKernels.ReferenceRowSums),
            accelerator.LoadAutoGroupedStreamKernel<Index1D, KernelShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<double>>(StatisticsKernels.ReferencePart),
            accelerator.LoadAutoGroupedStreamKernel<Index1D, KernelShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(StatisticsKernels.Cross),
            accelerator.LoadAutoGroupedStreamKernel<Index1D, KernelShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(StatisticsKernels.Within),
            accelerator.LoadAutoGroupedStreamKernel<Index1D, KernelShape, ArrayView<float>, ArrayView<float>>(StatisticsKernels.CrossRowSums),
            accelerator.LoadAutoGroupedStreamKernel<Index1D, KernelShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(StatisticsKernels.WindowColumns),
            accelerator.LoadAutoGroupedStreamKernel<Index1D, KernelShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>>(StatisticsKernels.WindowTotals),
            accelerator.LoadAutoGroupedStreamKernel<Index1D, KernelShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<int>, ArrayView<int>, ArrayView<double>, ArrayView<float>>(StatisticsKernels.Statistics)));
        Description = IlgpuDevices.Describe(_accelerator);
    }

    public string Description { get; }

    /// <summary>True when the kernels run on a CUDA GPU rather than the CPU accelerator.</summary>
    public bool OnGpu => _accelerator.AcceleratorType == AcceleratorType.Cuda;

    public int LayerCount => _layers.Count;

    public int AddLayer(string name, float[] vectors, int count, int dimension, double bandwidth, IReadOnlyList<double> bandwidthScales)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(bandwidthScales);
        // γ = 1/(2σ²) per multiplied bandwidth, as the TorchSharp path computes it (in float64, then used in float32).
        double[] gammas = [.. bandwidthScales.Select(scale => bandwidth * scale).Select(sigma => 1.0 / (2.0 * sigma * sigma))];
        if (count < 2 || dimension < 1 || vectors.LongLength != (long)count * dimension)
        {
            throw new ArgumentException($"Layer '{name}': {vectors.LongLength} values do not form {count} (≥ 2) vectors of dimension {dimension} (≥ 1).", nameof(vectors));
        }
        if (gammas.Length == 0 || gammas.Any(g => !(g > 0) || !float.IsFinite((float)g)))
        {
            throw new ArgumentException(
                $"Layer '{name}': bandwidth {bandwidth:G6} with multipliers [{string.Join(", ", bandwidthScales)}] gives kernel γ [{string.Join(", ", gammas)}]; each must be finite and positive in float32.",
                nameof(bandwidth));
        }

        float[] mean = Mean(vectors, count, dimension);
        var centred = new float[vectors.Length];
        for (int k = 0; k < centred.Length; k++)
        {
            centred[k] = vectors[k] - mean[k % dimension];
        }
        var layer = new IlgpuLayer(name, count, dimension, mean, gammas.Length,
            _accelerator.Allocate1D(centred),
            _accelerator.Allocate1D<float>(count),
            _accelerator.Allocate1D<float>(count),
            _accelerator.Allocate1D<float>(count),
            _accelerator.Allocate1D([.. gammas.Select(g => (float)g)]));
        try
        {
            var shape = layer.Shape(windowCount: 2, rows: 1);
            _squaredNorms(count, shape, layer.Centred.View, layer.Norms.View);
            _referenceRowSums(count, shape, layer.Centred.View, layer.Norms.View, layer.Gammas.View, layer.RowSums.View, layer.Diagonal.View);
            _accelerator.Synchronize();
            layer.Total = layer.RowSums.GetAsArray1D().Sum(v => (double)v);
            layer.DiagonalTotal = layer.Diagonal.GetAsArray1D().Sum(v => (double)v);
        }
        catch
        {
            layer.Dispose();
            throw;
        }
        _layers.Add(layer);
        return _layers.Count - 1;
    }

    public void SetPermutations(int layer, PermutationSet permutations)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(permutations);
        var target = Layer(layer);
        if (permutations.ReferenceCount != target.Count)
        {
            throw new ArgumentException($"Permutations are for {permutations.ReferenceCount} reference vectors, layer '{target.Name}' has {target.Count}.", nameof(permutations));
        }

        int m = permutations.WindowCount;
        int n = target.Count;
        int rows = permutations.Permutations + 1;
        var members = new int[2 * rows * m];
        var counts = new int[2 * rows];
        // Row 0, the observed split: no reference member, every window sample.
        for (int j = 0; j < m; j++)
        {
            members[rows * m + j] = j;
        }
        counts[1] = m;
        var chosen = permutations.Chosen;
        for (int p = 1; p < rows; p++)
        {
            int references = 0, samples = 0;
            foreach (int position in chosen.Slice((p - 1) * m, m))
            {
                if (position < n)
                {
                    members[p * m + references++] = position;
                }
                else
                {
                    members[rows * m + p * m + samples++] = position - n;
                }
            }
            counts[2 * p] = references;
            counts[2 * p + 1] = samples;
        }

        var part = new IlgpuPermutationPart(rows, _accelerator.Allocate1D(members), _accelerator.Allocate1D(counts), _accelerator.Allocate1D<double>(3L * rows));
        try
        {
            _referencePart(rows, target.Shape(m, rows), target.Centred.View, target.Norms.View, target.Gammas.View,
                target.RowSums.View, target.Diagonal.View, part.Members.View, part.Counts.View, part.ReferenceSums.View);
            _accelerator.Synchronize();
        }
        catch
        {
            part.Dispose();
            throw;
        }
        if (target.Parts.Remove(m, out var old))
        {
            old.Dispose();
        }
        target.Parts[m] = part;
    }

    public bool HasPermutations(int layer, int windowCount) => Layer(layer).Parts.ContainsKey(windowCount);

    public float[] Compute(int batch, int windowCount, IReadOnlyList<float[]> windows)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (windows.Count != _layers.Count)
        {
            throw new ArgumentException($"Expected windows for {_layers.Count} layers, got {windows.Count}.", nameof(windows));
        }
        var parts = new IlgpuPermutationPart[_layers.Count];
        for (int l = 0; l < _layers.Count; l++)
        {
            var layer = _layers[l];
            if (!layer.Parts.TryGetValue(windowCount, out var part))
            {
                throw new InvalidOperationException($"Layer '{layer.Name}' has no permutations for windows of {windowCount}; call SetPermutations first.");
            }
            if (part.Rows != _layers.Select(x => x.Parts[windowCount].Rows).First())
            {
                throw new InvalidOperationException($"Layer '{layer.Name}' has {part.Rows - 1} permutations; every layer must have the same number.");
            }
            if (windows[l] is null || windows[l].LongLength != (long)batch * windowCount * layer.Dimension)
            {
                throw new ArgumentException($"Layer '{layer.Name}' expects {batch} × {windowCount} × {layer.Dimension} window values, got {windows[l]?.LongLength}.", nameof(windows));
            }
            parts[l] = part;
        }

        int rows = parts[0].Rows;
        int layerStride = rows + windowCount;
        int stride = _layers.Count * layerStride;
        long outputLength = (long)batch * stride;
        if (_output is null || _output.Length < outputLength)
        {
            _output?.Dispose();
            _output = _accelerator.Allocate1D<float>(outputLength);
        }

        for (int l = 0; l < _layers.Count; l++)
        {
            var layer = _layers[l];
            var part = parts[l];
            var scratch = Scratch(l, batch, windowCount);
            var shape = layer.Shape(windowCount, rows);
            shape.OutputStride = stride;
            shape.OutputOffset = l * layerStride;

            float[] centred = Centre(windows[l], layer.Mean);
            scratch.Windows.View.SubView(0, centred.LongLength).CopyFromCPU(ref MemoryMarshal.GetArrayDataReference(centred), centred.LongLength);
            int samples = batch * windowCount;
            _squaredNorms(samples, shape, scratch.Windows.View, scratch.WindowNorms.View);
            _cross(checked(samples * layer.Count), shape, layer.Centred.View, layer.Norms.View, scratch.Windows.View, scratch.WindowNorms.View, layer.Gammas.View, scratch.Cross.View);
            _within(checked(samples * windowCount), shape, scratch.Windows.View, scratch.WindowNorms.View, layer.Gammas.View, scratch.Within.View);
            _crossRowSums(batch * layer.Count, shape, scratch.Cross.View, scratch.CrossRows.View);
            _windowColumns(samples, shape, scratch.Cross.View, scratch.Within.View, scratch.ColumnAndRow.View, scratch.WithinRows.View, scratch.WithinDiagonal.View, _output.View);
            _windowTotals(batch, shape, scratch.CrossRows.View, scratch.WithinRows.View, scratch.WithinDiagonal.View, scratch.Totals.View);
            _statistics(batch * rows, shape, scratch.Cross.View, scratch.Within.View, scratch.CrossRows.View, scratch.ColumnAndRow.View,
                scratch.WithinDiagonal.View, scratch.Totals.View, part.Members.View, part.Counts.View, part.ReferenceSums.View, _output.View);
        }

        // The one wait and the one device-to-host transfer of the call.
        _accelerator.Synchronize();
        var host = new float[outputLength];
        _output.View.SubView(0, outputLength).CopyToCPU(ref MemoryMarshal.GetArrayDataReference(host), outputLength);
        return host;
    }

    private WindowScratch Scratch(int layer, int batch, int windowCount)
    {
        if (_scratch.TryGetValue(layer, out var scratch) && scratch.Fits(batch, windowCount))
        {
            return scratch;
        }
        scratch?.Dispose();
        int capacity = BufferCapacity.RoundUp(batch, scratch is not null && scratch.WindowCount == windowCount ? scratch.Capacity : 1);
        var fresh = new WindowScratch(_accelerator, capacity, windowCount, _layers[layer].Count, _layers[layer].Dimension);
        _scratch[layer] = fresh;
        return fresh;
    }

    private IlgpuLayer Layer(int layer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (layer < 0 || layer >= _layers.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The backend holds {_layers.Count} layer(s).");
        }
        return _layers[layer];
    }

    private static float[] Mean(float[] vectors, int count, int dimension)
    {
        var sums = new double[dimension];
        for (int k = 0; k < vectors.Length; k++)
        {
            sums[k % dimension] += vectors[k];
        }
        return [.. sums.Select(s => (float)(s / count))];
    }

    private static float[] Centre(float[] windows, float[] mean)
    {
        var centred = new float[windows.Length];
        for (int k = 0; k < centred.Length; k++)
        {
            centred[k] = windows[k] - mean[k % mean.Length];
        }
        return centred;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var scratch in _scratch.Values)
        {
            scratch.Dispose();
        }
        _scratch.Clear();
        foreach (var layer in _layers)
        {
            layer.Dispose();
        }
        _layers.Clear();
        _output?.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }
}
