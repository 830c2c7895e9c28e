using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using Streaming.Detection.Compute;

namespace Streaming.Detection.Ilgpu;

/// <summary>The subset scan's per-event levels as an ILGPU kernel (<see cref="LevelKernels"/>) on a CUDA GPU or ILGPU's CPU accelerator.</summary>
public sealed class IlgpuScanLevelBackend : IScanLevelBackend
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private MemoryBuffer1D<int, Stride1D.Dense>? _nodeLayers, _layerOffsets, _counts, _levelStarts, _levelTable;
    private MemoryBuffer1D<long, Stride1D.Dense>? _columnStarts;
    private MemoryBuffer1D<float, Stride1D.Dense>? _sorted;
    private MemoryBuffer1D<float, Stride1D.Dense>? _vectors;
    private MemoryBuffer1D<int, Stride1D.Dense>? _groups, _levels;
    private LevelShape _shape;
    private int _groupCount;
    private bool _disposed;

    private readonly Action<Index1D, LevelShape, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<long>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<int>, ArrayView<int>> _kernel;

    public IlgpuScanLevelBackend(IlgpuTarget target = IlgpuTarget.Auto)
    {
        (_context, _accelerator, _kernel) = IlgpuDevices.Open(target, accelerator => accelerator.LoadAutoGroupedStreamKernel<Index1D, LevelShape, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<long>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<int>, ArrayView<int>>(LevelKernels.Levels));
        Description = IlgpuDevices.Describe(_accelerator);
    }

    public string Description { get; }

    public bool Loaded => _sorted is not null;

    public void Load(ScanLevelModel model)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(model);
        if (Loaded)
        {
            throw new InvalidOperationException("The scan level backend already holds a scanner's backgrounds.");
        }
        int layers = model.Dimensions.Length;
        int blocks = model.Groups * layers;
        if (layers == 0 || model.Groups < 1 || model.Counts.Length != blocks || model.SortedColumns.Length != blocks || model.LevelOfCount.Length != blocks)
        {
            throw new ArgumentException($"A scan level model of {model.Groups} group(s) × {layers} layer(s) needs that many background blocks.", nameof(model));
        }
        var nodeLayers = new int[model.Nodes];
        var layerOffsets = new int[layers];
        for (int l = 0, node = 0; l < layers; l++)
        {
            layerOffsets[l] = node;
            for (int j = 0; j < model.Dimensions[l]; j++) nodeLayers[node++] = l;
        }
        var columnStarts = new long[blocks];
        var levelStarts = new int[blocks];
        long values = 0;
        int levels = 0;
        for (int b = 0; b < blocks; b++)
        {
            int l = b % layers;
            if (model.SortedColumns[b].LongLength != (long)model.Counts[b] * model.Dimensions[l] || model.LevelOfCount[b].Length != model.Counts[b] + 1)
            {
                throw new ArgumentException($"Background block {b} does not hold {model.Counts[b]} × {model.Dimensions[l]} values and {model.Counts[b] + 1} levels.", nameof(model));
            }
            columnStarts[b] = values;
            levelStarts[b] = levels;
            values += model.SortedColumns[b].LongLength;
            levels = checked(levels + model.LevelOfCount[b].Length);
        }
        var sorted = new float[values];
        var table = new int[levels];
        for (int b = 0; b < blocks; b++)
        {
            model.SortedColumns[b].CopyTo(sorted, columnStarts[b]);
            for (int k = 0; k < model.LevelOfCount[b].Length; k++) table[levelStarts[b] + k] = model.LevelOfCount[b][k];
        }
        _nodeLayers = _accelerator.Allocate1D(nodeLayers);
        _layerOffsets = _accelerator.Allocate1D(layerOffsets);
        _columnStarts = _accelerator.Allocate1D(columnStarts);
        _counts = _accelerator.Allocate1D(model.Counts);
        _levelStarts = _accelerator.Allocate1D(levelStarts);
        _levelTable = _accelerator.Allocate1D(table);
        _sorted = _accelerator.Allocate1D(sorted);
        _shape = new LevelShape { Nodes = model.Nodes, Layers = layers, TwoSided = model.TwoSided ? 1 : 0 };
        _groupCount = model.Groups;
    }

    public byte[] Levels(int events, float[] vectors, int[] groups)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(groups);
        if (!Loaded)
        {
            throw new InvalidOperationException("Load the scanner's backgrounds before computing levels.");
        }
        long total = (long)events * _shape.Nodes;
        if (vectors.LongLength != total || groups.Length != events)
        {
            throw new ArgumentException($"{vectors.LongLength} values and {groups.Length} groups are not {events} events of {_shape.Nodes} nodes.", nameof(vectors));
        }
        foreach (int group in groups)
        {
            if ((uint)group >= (uint)_groupCount)
            {
                throw new ArgumentException($"Group {group} is not among the backend's 0..{_groupCount - 1}.", nameof(groups));
            }
        }
        if (events == 0)
        {
            return [];
        }
        if (_vectors is null || _vectors.Length < total || _groups!.Length < events)
        {
            _vectors?.Dispose();
            _groups?.Dispose();
            _levels?.Dispose();
            long capacity = BufferCapacity.RoundUp(events);
            _vectors = _accelerator.Allocate1D<float>(capacity * _shape.Nodes);
            _groups = _accelerator.Allocate1D<int>(capacity);
            _levels = _accelerator.Allocate1D<int>(capacity * _shape.Nodes);
        }
        _vectors.View.SubView(0, total).CopyFromCPU(ref MemoryMarshal.GetArrayDataReference(vectors), total);
        _groups.View.SubView(0, events).CopyFromCPU(ref MemoryMarshal.GetArrayDataReference(groups), events);
        _kernel(checked((int)total), _shape, _vectors.View, _groups.View, _nodeLayers!.View, _layerOffsets!.View, _columnStarts!.View,
            _counts!.View, _levelStarts!.View, _sorted!.View, _levelTable!.View, _levels!.View);
        _accelerator.Synchronize();
        var levels = new int[total];
        _levels.View.SubView(0, total).CopyToCPU(ref MemoryMarshal.GetArrayDataReference(levels), total);
        var result = new byte[total];
        for (long i = 0; i < total; i++) result[i] = (byte)levels[i];
        return result;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _nodeLayers?.Dispose();
        _layerOffsets?.Dispose();
        _columnStarts?.Dispose();
        _counts?.Dispose();
        _levelStarts?.Dispose();
        _levelTable?.Dispose();
        _sorted?.Dispose();
        _vectors?.Dispose();
        _groups?.Dispose();
        _levels?.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }
}
