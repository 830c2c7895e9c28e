using System.Diagnostics;
using Microsoft.Extensions.Options;
using Streaming.Ml;

namespace Streaming.Inference;

/// <summary>The served model: loaded once at start-up from the folder `control train` wrote.</summary>
public sealed class ModelHost : IDisposable
{
    private readonly ModelRunner _runner;

    public ModelHost(IOptions<InferenceOptions> options)
    {
        var settings = options.Value;
        var directory = settings.ModelDirectory;
        if (!Directory.Exists(directory))
            throw new InvalidOperationException($"Inference:ModelDirectory '{directory}' does not exist; run `control train` first.");
        var (model, manifest) = ModelStore.Load(directory);
        try
        {
            var specs = settings.Layers.Count == 0 ? null : CaptureSpecs(settings.Layers, manifest.Name, LayerNames(model));
            _runner = new ModelRunner(model, manifest, specs);
        }
        catch
        {
            model.Dispose();
            throw;
        }

        Manifest = _runner.Manifest;
    }

    public ModelManifest Manifest { get; }

    /// <summary>The captured layers as configured (the manifest's unless Inference:Layers says otherwise).</summary>
    public IReadOnlyList<LayerManifest> Layers => _runner.Layers;

    /// <summary>
    /// Checks Inference:Layers against the model's submodules, each error naming its configuration key,
    /// so a typo stops the start instead of silently capturing nothing.
    /// </summary>
    public static IReadOnlyList<LayerCaptureSpec> CaptureSpecs(IReadOnlyList<LayerOptions> layers, string modelName, IReadOnlyCollection<string> available)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var key = $"{InferenceOptions.SectionName}:Layers:{i}";
            if (string.IsNullOrWhiteSpace(layer.Name))
                problems.Add($"{key}:Name is required");
            else if (!available.Contains(layer.Name))
                problems.Add($"{key}:Name is '{layer.Name}', which model '{modelName}' does not have (layers: {string.Join(", ", available)})");
            else if (!seen.Add(layer.Name))
                problems.Add($"{key}:Name '{layer.Name}' is listed more than once");
            if (!Enum.IsDefined(layer.Reduction))
                problems.Add($"{key}:Reduction is {layer.Reduction}; expected {string.Join(", ", Enum.GetNames<LayerReduction>())}");
            if (layer.Reduction == LayerReduction.RandomProjection && layer.ProjectionDim <= 0)
                problems.Add($"{key}:ProjectionDim is {layer.ProjectionDim}; RandomProjection needs a positive dimension");
        }

        if (problems.Count > 0)
            throw new InvalidOperationException($"Inference:Layers is invalid: {string.Join("; ", problems)}.");
        return layers.Select(l => l.ToCaptureSpec()).ToArray();
    }

    public IReadOnlyList<InputActivations> Run(float[] pixels, int count)
    {
        var started = Stopwatch.GetTimestamp();
        var result = _runner.Run(pixels, count);
        InferenceMetrics.ForwardDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    public void Dispose() => _runner.Dispose();

    private static HashSet<string> LayerNames(TorchSharp.torch.nn.Module model) =>
        model.named_modules().Select(m => m.name).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
}
