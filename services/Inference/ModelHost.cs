using System.Diagnostics;
using Microsoft.Extensions.Options;
using Streaming.Ml.Capture;
using Streaming.Ml.Persistence;
using Streaming.Ml.Serving;

namespace Streaming.Inference;

/// <summary>
/// The served model, loaded once at start-up: the folder `control train` wrote (Inference:ModelDirectory)
/// or a TorchScript file (Inference:TorchScript:Path). Either way the layers come out through the same
/// reduction and are published the same way.
/// </summary>
public sealed class ModelHost : IDisposable
{
    private readonly ModelRunner _runner;
    private readonly InferenceMetrics _metrics;

    public ModelHost(IOptions<InferenceOptions> options, InferenceMetrics metrics)
    {
        _metrics = metrics;
        var settings = options.Value;
        _runner = settings.ServesTorchScript ? LoadTorchScript(settings.TorchScript) : LoadNative(settings);
        Manifest = _runner.Manifest;
    }

    public ModelManifest Manifest { get; }

    /// <summary>The captured layers as configured (the manifest's unless Inference:Layers says otherwise).</summary>
    public IReadOnlyList<LayerManifest> Layers => _runner.Layers;

    /// <summary>
    /// Checks capture entries (Inference:Layers, or Inference:TorchScript:Outputs with <paramref name="section"/>)
    /// against the model's layers (any name when <paramref name="available"/> is null), each error naming its
    /// configuration key, so a typo stops the start instead of silently capturing nothing.
    /// </summary>
    public static IReadOnlyList<LayerCaptureSpec> CaptureSpecs(
        IReadOnlyList<LayerOptions> layers,
        string modelName,
        IReadOnlyCollection<string>? available,
        string section = InferenceOptions.SectionName + ":Layers")
    {
        ArgumentNullException.ThrowIfNull(layers);
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var key = $"{section}:{i}";
            if (string.IsNullOrWhiteSpace(layer.Name))
                problems.Add($"{key}:Name is required");
            else if (available is not null && !available.Contains(layer.Name))
                problems.Add($"{key}:Name is '{layer.Name}', which model '{modelName}' does not have (layers: {string.Join(", ", available)})");
            else if (!seen.Add(layer.Name))
                problems.Add($"{key}:Name '{layer.Name}' is listed more than once");
            if (!Enum.IsDefined(layer.Reduction))
                problems.Add($"{key}:Reduction is {layer.Reduction}; expected {string.Join(", ", Enum.GetNames<LayerReduction>())}");
            if (layer.Reduction == LayerReduction.RandomProjection && layer.ProjectionDim <= 0)
                problems.Add($"{key}:ProjectionDim is {layer.ProjectionDim}; RandomProjection needs a positive dimension");
        }

        if (problems.Count > 0)
            throw new InvalidOperationException($"{section} is invalid: {string.Join("; ", problems)}.");
        return layers.Select(l => l.ToCaptureSpec()).ToArray();
    }

    private static ModelRunner LoadNative(InferenceOptions settings)
    {
        var directory = settings.ModelDirectory;
        if (!Directory.Exists(directory))
            throw new InvalidOperationException($"Inference:ModelDirectory '{directory}' does not exist; run `control train` first.");
        var (model, manifest) = ModelStore.Load(directory);
        try
        {
            var specs = settings.Layers.Count == 0 ? null : CaptureSpecs(settings.Layers, manifest.Name, LayerNames(model));
            return new ModelRunner(model, manifest, specs);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Loads the file and runs one image through it, so a wrong Outputs count fails the start, naming the key.</summary>
    private static ModelRunner LoadTorchScript(TorchScriptOptions settings)
    {
        var name = string.IsNullOrWhiteSpace(settings.ModelName) ? null : settings.ModelName;
        var specs = CaptureSpecs(settings.Outputs, name ?? settings.Path, available: null, TorchScriptOptions.SectionName + ":Outputs");
        try
        {
            return ModelRunner.LoadTorchScript(settings.Path, specs, name);
        }
        catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException)
        {
            throw new InvalidOperationException($"{TorchScriptOptions.SectionName}:Path: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException(
                $"{TorchScriptOptions.SectionName}:Outputs lists {specs.Count} output(s) ({string.Join(", ", specs.Select(s => s.Layer))}), " +
                $"which the model at {TorchScriptOptions.SectionName}:Path does not match for one 1x28x28 image: {ex.Message}", ex);
        }
    }

    public IReadOnlyList<InputActivations> Run(float[] pixels, int count)
    {
        var started = Stopwatch.GetTimestamp();
        var result = _runner.Run(pixels, count);
        _metrics.RecordForward(Stopwatch.GetElapsedTime(started));
        return result;
    }

    public void Dispose() => _runner.Dispose();

    private static HashSet<string> LayerNames(TorchSharp.torch.nn.Module model) =>
        model.named_modules().Select(m => m.name).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
}
