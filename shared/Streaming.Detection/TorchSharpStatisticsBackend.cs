using Streaming.Detection.Compute;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Detection;

/// <summary>
/// The window test's statistics with TorchSharp (CPU, or CUDA where a TorchSharp CUDA package is
/// built in): dense group matrices against the cached <see cref="ReferencePermutationPart"/>, each
/// window through its own slice so a batch gives bit-for-bit the results of lone windows.
/// </summary>
public sealed class TorchSharpStatisticsBackend : IWindowStatisticsBackend
{
    private readonly List<DeviceReference> _layers = [];
    private readonly Dictionary<(int Layer, int WindowCount), ReferencePermutationPart> _parts = [];
    private readonly bool _ownsLayers;
    private bool _disposed;

    public TorchSharpStatisticsBackend(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        Device = device;
        _ownsLayers = true;
    }

    /// <summary>Over references already uploaded by the caller, who keeps owning them (the window tester shares them with its other families).</summary>
    internal TorchSharpStatisticsBackend(Device device, IEnumerable<DeviceReference> borrowed)
    {
        Device = device;
        _layers.AddRange(borrowed);
        _ownsLayers = false;
    }

    public Device Device { get; }

    public string Description => $"TorchSharp {Device}";

    public int LayerCount => _layers.Count;

    /// <summary>Adds a layer from its vectors, calibrated bandwidth σ and bandwidth multipliers.</summary>
    public int AddLayer(string name, float[] vectors, int count, int dimension, double bandwidth, IReadOnlyList<double> bandwidthScales)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_ownsLayers)
        {
            throw new InvalidOperationException("This backend serves the layers of a window tester; it takes no others.");
        }
        _layers.Add(DeviceReference.Upload(new LayerReference(name, count, dimension, vectors, bandwidth), Device, bandwidthScales));
        return _layers.Count - 1;
    }

    public void SetPermutations(int layer, PermutationSet permutations)
    {
        var reference = Layer(layer);
        var part = ReferencePermutationPart.Create(reference, permutations);
        if (_parts.Remove((layer, permutations.WindowCount), out var old))
        {
            old.Dispose();
        }
        _parts[(layer, permutations.WindowCount)] = part;
    }

    public bool HasPermutations(int layer, int windowCount) => _parts.ContainsKey((layer, windowCount));

    public float[] Compute(int batch, int windowCount, IReadOnlyList<float[]> windows)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (windows.Count != _layers.Count)
        {
            throw new ArgumentException($"Expected windows for {_layers.Count} layers, got {windows.Count}.", nameof(windows));
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var perLayer = new Tensor[_layers.Count];
        int? rows = null;
        for (int i = 0; i < _layers.Count; i++)
        {
            var reference = _layers[i];
            if (!_parts.TryGetValue((i, windowCount), out var part))
            {
                throw new InvalidOperationException($"Layer '{reference.Layer}' has no permutations for windows of {windowCount}; call SetPermutations first.");
            }
            if (rows is { } expected && part.ReferenceGroups.shape[0] != expected)
            {
                throw new InvalidOperationException($"Layer '{reference.Layer}' has {part.ReferenceGroups.shape[0] - 1} permutations; every layer must have the same number.");
            }
            rows = (int)part.ReferenceGroups.shape[0];
            if (windows[i] is null || windows[i].LongLength != (long)batch * windowCount * reference.Dimension)
            {
                throw new ArgumentException($"Layer '{reference.Layer}' expects {batch} × {windowCount} × {reference.Dimension} window values, got {windows[i]?.LongLength}.", nameof(windows));
            }

            var stacked = torch.tensor(windows[i], [batch, windowCount, reference.Dimension], ScalarType.Float32, reference.Device);
            // One upload per layer; then each window's statistics on its own slice. A single
            // batched bmm over all windows was tried and rounds differently from a lone window
            // (the library picks other gemm paths per batch size); per-window slices keep batched
            // results bit-identical to unbatched ones, and the work is queued without any sync.
            var perWindow = new Tensor[batch];
            for (int b = 0; b < batch; b++)
            {
                var (statistics, witness) = BatchedLayerStatistics.Compute(reference, part, stacked.narrow(0, b, 1));
                perWindow[b] = torch.cat([statistics, witness], 1);
            }
            perLayer[i] = torch.cat(perWindow, 0);   // B×(P+1+m)
        }

        // One device-to-host transfer for every window and layer.
        return TensorTransfer.Download(torch.cat(perLayer, 1));
    }

    private DeviceReference Layer(int layer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (layer < 0 || layer >= _layers.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The backend holds {_layers.Count} layer(s).");
        }
        return _layers[layer];
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var part in _parts.Values)
        {
            part.Dispose();
        }
        _parts.Clear();
        if (_ownsLayers)
        {
            foreach (var layer in _layers)
            {
                layer.Dispose();
            }
        }
        _layers.Clear();
    }
}
