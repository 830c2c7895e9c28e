using System.Runtime.InteropServices;
using static TorchSharp.torch;
using Streaming.Ml.Persistence;

namespace Streaming.Ml.Capture;

/// <summary>
/// Turns each captured activation [N, ...] into vectors as its <see cref="LayerCaptureSpec"/> says
/// (global average pool, flatten, seeded random projection) and copies them out in bulk. One reducer
/// serves both capture paths, hooks on a native module and outputs of a TorchScript module, so the same
/// configuration yields the same vectors. Not thread-safe (projection matrices are cached per slot).
/// </summary>
internal sealed class LayerReducer : IDisposable
{
    private readonly LayerCaptureSpec[] _specs;
    private readonly Tensor?[] _projections;
    private readonly long[][] _lastShapes;

    public LayerReducer(IReadOnlyList<LayerCaptureSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        _specs = specs.ToArray();
        if (_specs.Length == 0)
        {
            throw new ArgumentException("At least one layer capture spec is required.", nameof(specs));
        }

        var duplicate = _specs.GroupBy(s => s.Layer).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Layer '{duplicate.Key}' is listed more than once.", nameof(specs));
        }

        foreach (var spec in _specs)
        {
            if (spec.Reduction == LayerReduction.RandomProjection && spec.ProjectionDim <= 0)
            {
                throw new ArgumentException(
                    $"Layer '{spec.Layer}' uses RandomProjection but ProjectionDim is {spec.ProjectionDim}; it must be positive.",
                    nameof(specs));
            }
        }

        _projections = new Tensor?[_specs.Length];
        _lastShapes = new long[_specs.Length][];
    }

    public IReadOnlyList<LayerCaptureSpec> Specs => _specs;

    /// <summary>Reduces activation i with spec i; tensors made here belong to the caller's dispose scope.</summary>
    public LayerVectors[] ReduceAll(IReadOnlyList<Tensor> activations)
    {
        ArgumentNullException.ThrowIfNull(activations);
        if (activations.Count != _specs.Length)
        {
            throw new ArgumentException($"Expected {_specs.Length} activations, got {activations.Count}.", nameof(activations));
        }

        var layers = new LayerVectors[_specs.Length];
        for (var i = 0; i < _specs.Length; i++)
        {
            _lastShapes[i] = activations[i].shape;
            var reduced = Reduce(i, activations[i]);
            layers[i] = new LayerVectors(_specs[i].Layer, (int)reduced.shape[1], CopyOut(reduced));
        }

        return layers;
    }

    /// <summary>
    /// Describes every layer from <paramref name="result"/>, the output of a one-input
    /// <see cref="ReduceAll"/>: activation shape for one input, reduction and vector length.
    /// </summary>
    public IReadOnlyList<LayerManifest> Describe(CaptureResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return _specs
            .Select((spec, i) => new LayerManifest(
                spec.Layer,
                _lastShapes[i].Skip(1).Select(d => (int)d).ToArray(),
                spec.Reduction,
                result.Layers[i].Dim,
                spec.ProjectionDim,
                spec.Seed))
            .ToArray();
    }

    public static float[] CopyOut(Tensor tensor) =>
        MemoryMarshal.Cast<byte, float>(tensor.to_type(ScalarType.Float32).contiguous().bytes).ToArray();

    public void Dispose()
    {
        foreach (var projection in _projections)
        {
            projection?.Dispose();
        }

        Array.Clear(_projections);
    }

    private Tensor Reduce(int slot, Tensor activation)
    {
        var spec = _specs[slot];
        return spec.Reduction switch
        {
            LayerReduction.GlobalAveragePool when activation.dim() > 2 =>
                activation.mean([.. Enumerable.Range(2, (int)activation.dim() - 2).Select(d => (long)d)]),
            LayerReduction.GlobalAveragePool or LayerReduction.Flatten => activation.flatten(1),
            LayerReduction.RandomProjection => activation.flatten(1).matmul(Projection(slot, (int)(activation.numel() / activation.shape[0]))),
            _ => throw new NotSupportedException($"Reduction {spec.Reduction} is not supported."),
        };
    }

    private Tensor Projection(int slot, int inputDim)
    {
        var existing = _projections[slot];
        if (existing is not null && existing.shape[0] == inputDim)
        {
            return existing;
        }

        existing?.Dispose();
        var spec = _specs[slot];
        var values = RandomProjection.Matrix(inputDim, spec.ProjectionDim, spec.Seed);

        // Lives as long as this reducer, so it must not belong to the caller's dispose scope.
        var matrix = tensor(values, [inputDim, spec.ProjectionDim], ScalarType.Float32).DetachFromDisposeScope();
        _projections[slot] = matrix;
        return matrix;
    }
}
