using static TorchSharp.torch;

namespace Streaming.Ml;

/// <summary>
/// A loaded model plus its activation capture, safe to share across request threads: runs are
/// serialised by a lock (one forward at a time already uses all intra-op threads). One per process.
/// </summary>
public sealed class ModelRunner : IDisposable
{
    private readonly Lock _gate = new();
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly ActivationCapture _capture;
    private readonly long[] _inputShape;
    private readonly int _valuesPerInput;
    private bool _disposed;

    /// <summary>Takes ownership of <paramref name="model"/>; captures <paramref name="specs"/> (the manifest's layers when null).</summary>
    public ModelRunner(nn.Module<Tensor, Tensor> model, ModelManifest manifest, IReadOnlyList<LayerCaptureSpec>? specs = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(manifest);
        _model = model;
        Manifest = manifest;
        _inputShape = [1, MnistDataset.ImageSide, MnistDataset.ImageSide];
        _valuesPerInput = MnistDataset.PixelsPerImage;
        _model.eval();
        _capture = new ActivationCapture(model, specs ?? manifest.CaptureSpecs());
        Layers = _capture.DescribeLayers(_inputShape);
    }

    public ModelManifest Manifest { get; }

    /// <summary>The captured layers as configured (shape, reduction, vector length), in output order.</summary>
    public IReadOnlyList<LayerManifest> Layers { get; }

    /// <summary>Loads any <see cref="ModelCatalog"/> model saved by <see cref="ModelStore.Save"/> from <paramref name="modelDirectory"/>.</summary>
    public static ModelRunner Load(string modelDirectory, IReadOnlyList<LayerCaptureSpec>? specs = null)
    {
        var (model, manifest) = ModelStore.Load(modelDirectory);
        try
        {
            return new ModelRunner(model, manifest, specs);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Classifies <paramref name="count"/> images given as count*784 pixels in [0,1] and captures their activations.</summary>
    public IReadOnlyList<InputActivations> Run(float[] pixels, int count)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (pixels.Length != count * _valuesPerInput)
        {
            throw new ArgumentException(
                $"Expected {count} x {_valuesPerInput} = {count * _valuesPerInput} pixel values, got {pixels.Length}.", nameof(pixels));
        }

        for (var i = 0; i < pixels.Length; i++)
        {
            // Written as a negation so NaN fails too.
            if (!(pixels[i] is >= 0f and <= 1f))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(pixels), $"Pixel {i % _valuesPerInput} of image {i / _valuesPerInput} is {pixels[i]}; pixels must be in [0,1].");
            }
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var scope = NewDisposeScope();
            var images = tensor(pixels, [count, .. _inputShape], ScalarType.Float32);
            return _capture.Run(images).ToInputActivations();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _capture.Dispose();
            _model.Dispose();
        }
    }
}
