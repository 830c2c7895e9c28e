using TorchSharp;
using static TorchSharp.torch;
using Streaming.Ml.Persistence;
using Streaming.Ml.Serving;

namespace Streaming.Ml.Capture;

/// <summary>
/// Captures reduced activations of named layers with forward hooks, in the same single forward pass
/// that produces the prediction. Not thread-safe: one Run at a time (<see cref="ModelRunner"/> locks).
/// The model must call its submodules with <c>call()</c>; hooks do not fire through <c>forward()</c>.
/// </summary>
public sealed class ActivationCapture : IActivationCapture
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly LayerReducer _reducer;
    private readonly nn.HookableModule<Func<nn.Module<Tensor, Tensor>, Tensor, Tensor>, Func<nn.Module<Tensor, Tensor>, Tensor, Tensor, Tensor>>.HookRemover[] _hooks;
    private readonly Tensor?[] _captured;
    private bool _capturing;
    private bool _disposed;

    public ActivationCapture(nn.Module<Tensor, Tensor> model, IEnumerable<LayerCaptureSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(specs);
        _model = model;
        _reducer = new LayerReducer(specs.ToArray());
        var layers = new Dictionary<string, nn.Module<Tensor, Tensor>>();
        foreach (var (name, module) in model.named_modules())
        {
            if (name.Length > 0 && module is nn.Module<Tensor, Tensor> layer)
            {
                layers[name] = layer;
            }
        }

        var specList = _reducer.Specs;
        _captured = new Tensor?[specList.Count];
        _hooks = new nn.HookableModule<Func<nn.Module<Tensor, Tensor>, Tensor, Tensor>, Func<nn.Module<Tensor, Tensor>, Tensor, Tensor, Tensor>>.HookRemover[specList.Count];
        for (var i = 0; i < specList.Count; i++)
        {
            var spec = specList[i];
            if (!layers.TryGetValue(spec.Layer, out var layer))
            {
                RemoveHooks();
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

    public IReadOnlyList<LayerCaptureSpec> Specs => _reducer.Specs;

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
        var (predictedClasses, confidences) = ClassScores.Classify(output, count);
        var activations = new Tensor[_captured.Length];
        for (var i = 0; i < activations.Length; i++)
        {
            activations[i] = _captured[i] ?? throw new InvalidOperationException(
                $"Layer '{Specs[i].Layer}' did not run during the forward pass; the model must invoke it with call(), not forward().");
        }

        Array.Clear(_captured);
        return new CaptureResult(predictedClasses, confidences, _reducer.ReduceAll(activations));
    }

    /// <summary>
    /// Runs one all-zero input of <paramref name="singleInputShape"/> (e.g. [1,28,28]) and describes
    /// every captured layer: activation shape for one input, reduction and vector length.
    /// </summary>
    public IReadOnlyList<LayerManifest> DescribeLayers(long[] singleInputShape)
    {
        ArgumentNullException.ThrowIfNull(singleInputShape);
        using var scope = NewDisposeScope();
        return _reducer.Describe(Run(zeros([1, .. singleInputShape])));
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        RemoveHooks();
        _reducer.Dispose();
    }

    private void RemoveHooks()
    {
        foreach (var hook in _hooks)
        {
            hook?.remove();
        }
    }
}
