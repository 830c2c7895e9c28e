using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using static TorchSharp.torch;
using Streaming.Ml.Models;

namespace Streaming.Ml.Persistence;

/// <summary>
/// A model directory holds <see cref="WeightsFileName"/> (TorchSharp state dict) and
/// <see cref="ManifestFileName"/> (JSON <see cref="ModelManifest"/>).
/// </summary>
public static class ModelStore
{
    public const string WeightsFileName = "weights.dat";
    public const string ManifestFileName = "manifest.json";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Save(string directory, nn.Module model, ModelManifest manifest)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(manifest);
        Validate(manifest, Path.Combine(directory, ManifestFileName));

        Directory.CreateDirectory(directory);

        // Write to temporary names, then move: a reader never sees half a model.
        var weightsPath = Path.Combine(directory, WeightsFileName);
        var manifestPath = Path.Combine(directory, ManifestFileName);
        model.save(weightsPath + ".tmp");
        File.WriteAllText(manifestPath + ".tmp", JsonSerializer.Serialize(manifest, JsonOptions));
        File.Move(weightsPath + ".tmp", weightsPath, overwrite: true);
        File.Move(manifestPath + ".tmp", manifestPath, overwrite: true);
    }

    public static ModelManifest LoadManifest(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var path = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model manifest '{path}' does not exist; train a model into '{directory}' first.", path);
        }

        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Model manifest '{path}' is not valid manifest JSON: {ex.Message}", ex);
        }

        if (manifest is null)
        {
            throw new InvalidDataException($"Model manifest '{path}' is empty (JSON null).");
        }

        Validate(manifest, path);
        return manifest;
    }

    /// <summary>Loads a <see cref="SmallCnn"/> in eval mode and checks that its manifest's layers exist in it.</summary>
    public static (SmallCnn Model, ModelManifest Manifest) LoadSmallCnn(string directory)
    {
        var (model, manifest) = Load(directory);
        if (model is SmallCnn smallCnn)
        {
            return (smallCnn, manifest);
        }

        model.Dispose();
        throw new InvalidDataException(
            $"Model manifest '{Path.Combine(directory, ManifestFileName)}' describes '{manifest.Name}', not {ModelCatalog.SmallCnnName}.");
    }

    /// <summary>
    /// Loads the <see cref="ModelCatalog"/> model named in the manifest, in eval mode, and checks that the
    /// manifest's layers exist in it.
    /// </summary>
    public static (nn.Module<Tensor, Tensor> Model, ModelManifest Manifest) Load(string directory)
    {
        var manifest = LoadManifest(directory);
        var manifestPath = Path.Combine(directory, ManifestFileName);
        if (!ModelCatalog.TryGet(manifest.Name, out var definition))
        {
            throw new InvalidDataException(
                $"Model manifest '{manifestPath}' names model '{manifest.Name}', which is not one of {string.Join(", ", ModelCatalog.Names)}.");
        }

        var weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(weightsPath))
        {
            throw new FileNotFoundException($"Model weights '{weightsPath}' do not exist.", weightsPath);
        }

        var model = definition.Create(0);
        try
        {
            var layerNames = model.named_modules().Select(m => m.name).Where(n => n.Length > 0).ToHashSet();
            var missing = manifest.Layers.Select(l => l.Name).Where(n => !layerNames.Contains(n)).ToArray();
            if (missing.Length > 0)
            {
                throw new InvalidDataException(
                    $"Model manifest '{manifestPath}' lists layer(s) {string.Join(", ", missing)} that {manifest.Name} does not have ({string.Join(", ", layerNames)}).");
            }

            try
            {
                model.load(weightsPath);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new InvalidDataException($"Model weights '{weightsPath}' cannot be loaded into {manifest.Name}: {ex.Message}", ex);
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }

        model.eval();
        return (model, manifest);
    }

    private static void Validate(ModelManifest manifest, string path)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(manifest.Name))
        {
            problems.Add("'name' is missing");
        }

        if (string.IsNullOrWhiteSpace(manifest.Version))
        {
            problems.Add("'version' is missing");
        }

        if (manifest.TestAccuracy is < 0 or > 1 || double.IsNaN(manifest.TestAccuracy))
        {
            problems.Add($"'testAccuracy' is {manifest.TestAccuracy}, expected a value in [0,1]");
        }

        if (manifest.Layers is null || manifest.Layers.Count == 0)
        {
            problems.Add("'layers' is missing or empty");
        }
        else
        {
            foreach (var (layer, i) in manifest.Layers.Select((l, i) => (l, i)))
            {
                if (layer is null || string.IsNullOrWhiteSpace(layer.Name))
                {
                    problems.Add($"layers[{i}] has no 'name'");
                }
                else if (layer.VectorDim <= 0)
                {
                    problems.Add($"layer '{layer.Name}' has 'vectorDim' {layer.VectorDim}, expected a positive number");
                }
                else if (layer.Shape is null || layer.Shape.Length == 0)
                {
                    problems.Add($"layer '{layer.Name}' has no 'shape'");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException($"Model manifest '{path}' is invalid: {string.Join("; ", problems)}.");
        }
    }
}
