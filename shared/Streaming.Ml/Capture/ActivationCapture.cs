using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Ml;

/// <summary>
/// Captures reduced activations of named layers with forward hooks, in the same single forward pass
/// that produces the prediction. Not thread-safe: one Run at a time (<see cref="ModelRunner"/> locks).
/// The model must call its submodules with <c>call()</c>; hooks do not fire through <c>forward()</c>.
/// </summary>
public sealed class ActivationCapture : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly LayerCaptureSpec[] _specs;
    private readonly nn.HookableModule<Func<nn.Module<Tensor, Tensor>, Tensor, Tensor>, Func<nn.Module<Tensor, Tensor>, Tensor, Tensor, Tensor>>.HookRemover[] _hooks;
    private readonly Tensor?[] _captured;
    private readonly Tensor?[] _projections;
    private readonly long[][] _lastShapes;
    private bool _capturing;
    private bool _disposed;

    public ActivationCapture(nn.Module<Tensor, Tensor> model, IEnumerable<LayerCaptureSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(specs);
        _model = model;
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

        var layers = new Dictionary<string, nn.Module<Tensor, Tensor>>();
        foreach (var (name, module) in model.named_modules())
        {
            if (name.Length > 0 && module is nn.Module<Tensor, Tensor> layer)
            {
                layers[name] = layer;
            }
        }

        _captured = new Tensor?[_specs.Length];
        _projections = new Tensor?[_specs.Length];
        _lastShapes = new long[_specs.Length][];
        _hooks = new nn.HookableModule<Func<nn.Module<Tensor, Tensor>, Tensor, Tensor>, Func<nn.Module<Tensor, Tensor>, Tensor, Tensor, Tensor>>.HookRemover[_specs.Length];
        for (var i = 0; i < _specs.Length; i++)
        {
            var spec = _specs[i];
            if (spec.Reduction == LayerReduction.RandomProjection && spec.ProjectionDim <= 0)
            {
                throw new ArgumentException(
                    $"Layer '{spec.Layer}' uses RandomProjection but ProjectionDim is {spec.ProjectionDim}; it must be positive.",
                    nameof(specs));
            }

            if (!layers.TryGetValue(spec.Layer, out var layer))
            {
                throw new ArgumentException(
                    $"Model '{model.GetName()}' has no layer named '{spec.Layer}'. Available layers: {string.Join(", ", layers.Keys)}.",
                    nameof(specs));
            }

            var slot = i;
            _hooks[i] = layer.register_forward_hook((_, _, output) =>
            {
                if (_capturing)
                {
                    _captured[slot] = output;
                }

                // null keeps the layer's output unchanged.
                return null!;
            });
        }
    }

    /// <summary>The predicted class reported for models that do not classify (e.g. the autoencoder).</summary>
    public const int NoClass = -1;

    public IReadOnlyList<LayerCaptureSpec> Specs => _specs;

    /// <summary>
    /// One forward pass under inference mode. Returns predicted class, softmax confidence and every
    /// captured layer's reduced vectors per input. All tensors made here are disposed before returning.
    /// </summary>
    public CaptureResult Run(Tensor images)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(images);

        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        Array.Clear(_captured);
        Tensor output;
        _capturing = true;
        try
        {
            output = _model.call(images);
        }
        finally
        {
            _capturing = false;
        }

        var count = (int)output.shape[0];
        var (predictedClasses, confidences) = Classify(output, count);
        var layers = new LayerVectors[_specs.Length];
        for (var i = 0; i < _specs.Length; i++)
        {
            var activation = _captured[i] ?? throw new InvalidOperationException(
                $"Layer '{_specs[i].Layer}' did not run during the forward pass; the model must invoke it with call(), not forward().");
            _lastShapes[i] = activation.shape;
            var reduced = Reduce(i, activation);
            layers[i] = new LayerVectors(_specs[i].Layer, (int)reduced.shape[1], CopyOut(reduced));
        }

        Array.Clear(_captured);
        return new CaptureResult(predictedClasses, confidences, layers);
    }

    /// <summary>
    /// Runs one all-zero input of <paramref name="singleInputShape"/> (e.g. [1,28,28]) and describes
    /// every captured layer: activation shape for one input, reduction and vector length.
    /// </summary>
    public IReadOnlyList<LayerManifest> DescribeLayers(long[] singleInputShape)
    {
        ArgumentNullException.ThrowIfNull(singleInputShape);
        using var scope = NewDisposeScope();
        var result = Run(zeros([1, .. singleInputShape]));
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

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var hook in _hooks)
        {
            hook?.remove();
        }

        foreach (var projection in _projections)
        {
            projection?.Dispose();
        }
    }

    /// <summary>
    /// Arg-max class and its softmax probability of class scores [N,K]. A model whose output is not
    /// class scores (the autoencoder's reconstruction) has no class: -1 and confidence 0.
    /// </summary>
    private static (int[] Classes, float[] Confidences) Classify(Tensor output, int count)
    {
        var classes = new int[count];
        if (output.dim() != 2)
        {
            Array.Fill(classes, NoClass);
            return (classes, new float[count]);
        }

        var (confidence, predicted) = nn.functional.softmax(output, 1).max(1);
        var predictedValues = MemoryMarshal.Cast<byte, long>(predicted.to_type(ScalarType.Int64).contiguous().bytes);
        for (var i = 0; i < count; i++)
        {
            classes[i] = (int)predictedValues[i];
        }

        return (classes, CopyOut(confidence));
    }

    private static float[] CopyOut(Tensor tensor) =>
        MemoryMarshal.Cast<byte, float>(tensor.to_type(ScalarType.Float32).contiguous().bytes).ToArray();

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

        // Lives as long as this capture, so it must not belong to the caller's dispose scope.
        var matrix = tensor(values, [inputDim, spec.ProjectionDim], ScalarType.Float32).DetachFromDisposeScope();
        _projections[slot] = matrix;
        return matrix;
    }
}
