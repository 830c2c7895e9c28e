using System.Security.Cryptography;
using static TorchSharp.torch;
using Streaming.Ml.Capture;
using Streaming.Ml.Models;
using Streaming.Ml.Persistence;

namespace Streaming.Ml.Serving;

/// <summary>
/// A loaded model plus its activation capture, safe to share across request threads: runs are
/// serialised by a lock (one forward at a time already uses all intra-op threads). One per process.
/// </summary>
public sealed class ModelRunner : IDisposable
{
    /// <summary>What a TorchScript model's manifest says for the data set: the file does not record it.</summary>
    public const string UnknownDataset = "unknown";

    private readonly Lock _gate = new();
    private readonly IDisposable? _model;
    private readonly IActivationCapture _capture;
    private readonly long[] _inputShape;
    private readonly int _valuesPerInput;
    private bool _disposed;

    /// <summary>Takes ownership of <paramref name="model"/>; captures <paramref name="specs"/> (the manifest's layers when null).</summary>
    public ModelRunner(nn.Module<Tensor, Tensor> model, ModelManifest manifest, IReadOnlyList<LayerCaptureSpec>? specs = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(manifest);
        model.eval();
        _model = model;
        _capture = new ActivationCapture(model, specs ?? manifest.CaptureSpecs());
        _inputShape = [1, ModelInput.ImageSide, ModelInput.ImageSide];
        _valuesPerInput = ModelInput.PixelsPerImage;
        Layers = _capture.DescribeLayers(_inputShape);
        Manifest = manifest;
    }

    /// <summary>Takes ownership of <paramref name="capture"/> (and the model inside it); the manifest is built from its layers.</summary>
    private ModelRunner(IActivationCapture capture, Func<IReadOnlyList<LayerManifest>, ModelManifest> manifest)
    {
        _capture = capture;
        _inputShape = [1, ModelInput.ImageSide, ModelInput.ImageSide];
        _valuesPerInput = ModelInput.PixelsPerImage;
        Layers = _capture.DescribeLayers(_inputShape);
        Manifest = manifest(Layers);
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

    /// <summary>
    /// Serves the TorchScript file <paramref name="path"/> for 28x28 grey images: its forward returns one
    /// tensor per entry of <paramref name="outputs"/> (a tensor or a tuple), output 0 being the class scores,
    /// each reduced as its spec says. The manifest is named <paramref name="modelName"/> (the file name
    /// without extension when null) and versioned by the file's SHA-256, so events say which file produced them.
    /// Throws when the file does not load or does not return that many tensors for one image.
    /// </summary>
    public static ModelRunner LoadTorchScript(string path, IReadOnlyList<LayerCaptureSpec> outputs, string? modelName = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var script = TorchScriptModel.Load(path, outputs.Select(o => o.Layer).ToArray());
        IActivationCapture capture;
        try
        {
            capture = new ScriptOutputCapture(script, outputs);
        }
        catch
        {
            script.Dispose();
            throw;
        }

        try
        {
            var name = string.IsNullOrWhiteSpace(modelName) ? System.IO.Path.GetFileNameWithoutExtension(script.Path) : modelName;
            var version = "sha256-" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(script.Path)))[..12];
            var trainedAt = new DateTimeOffset(File.GetLastWriteTimeUtc(script.Path), TimeSpan.Zero);
            return new ModelRunner(capture, layers => new ModelManifest(name, version, UnknownDataset, 0, trainedAt, layers));
        }
        catch
        {
            capture.Dispose();
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
            _model?.Dispose();
        }
    }
}
