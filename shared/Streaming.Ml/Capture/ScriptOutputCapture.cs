using TorchSharp;
using static TorchSharp.torch;
using Streaming.Ml.Models;
using Streaming.Ml.Persistence;

namespace Streaming.Ml.Capture;

/// <summary>
/// Captures the outputs of a TorchScript module as layers: output i is reduced with spec i (named after it),
/// and output 0 also gives the predicted class, as a native model's final output does. Hooks cannot reach
/// inside a script module from TorchSharp 0.107 (see <see cref="TorchScriptModel"/>), so a layer to be
/// captured must be returned by its forward. Owns the model.
/// </summary>
public sealed class ScriptOutputCapture : IActivationCapture
{
    private readonly TorchScriptModel _model;
    private readonly LayerReducer _reducer;
    private bool _disposed;

    /// <summary>Takes ownership of <paramref name="model"/>; its output names must be the specs' layer names, in order.</summary>
    public ScriptOutputCapture(TorchScriptModel model, IReadOnlyList<LayerCaptureSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(specs);
        _reducer = new LayerReducer(specs);
        if (model.OutputNames is null || !model.OutputNames.SequenceEqual(specs.Select(s => s.Layer)))
        {
            throw new ArgumentException(
                $"The output names of '{model.Path}' ({string.Join(", ", model.OutputNames ?? [])}) must be the capture specs' layers in order ({string.Join(", ", specs.Select(s => s.Layer))}).",
                nameof(specs));
        }

        _model = model;
    }

    public IReadOnlyList<LayerCaptureSpec> Specs => _reducer.Specs;

    public CaptureResult Run(Tensor images)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var outputs = _model.Forward(images);
        var (classes, confidences) = ClassScores.Classify(outputs[0], (int)images.shape[0]);
        return new CaptureResult(classes, confidences, _reducer.ReduceAll(outputs));
    }

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
        _reducer.Dispose();
        _model.Dispose();
    }
}
