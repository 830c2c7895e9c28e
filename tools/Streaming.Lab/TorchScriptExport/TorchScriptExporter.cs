using Streaming.Ml.Capture;
using Streaming.Ml.Models;
using static TorchSharp.torch;

namespace Streaming.Lab.TorchScriptExport;

/// <summary>
/// Writes a built-in model as a TorchScript file that <c>torch.jit.load</c> (libtorch, PyTorch) reads,
/// without Python: small-cnn and resnet-small. The forward returns the model's output first, then the
/// layers its capture hooks see by default, because inner layers of a script module cannot be hooked
/// from TorchSharp. (The autoencoder has no exporter: its output is a reconstruction, not class scores.)
/// </summary>
public static class TorchScriptExporter
{
    /// <summary>The catalog names of the models that can be exported.</summary>
    public static IReadOnlyList<string> ExportableModels { get; } = [ModelCatalog.SmallCnnName, ModelCatalog.ResNetSmallName];

    /// <summary>
    /// What to configure as Inference:TorchScript:Outputs for an exported <paramref name="modelName"/>:
    /// the tuple elements in order, each reduced as the model's default capture reduces that layer, so the
    /// TorchScript model publishes the same vectors as the native one.
    /// </summary>
    public static IReadOnlyList<LayerCaptureSpec> DefaultOutputs(string modelName)
    {
        var outputNames = modelName switch
        {
            ModelCatalog.SmallCnnName => ["logits", "conv1", "conv2", "fc1"],
            ModelCatalog.ResNetSmallName => (string[])["logits", "stem", "block1", "block2", "block3", "block4"],
            _ => throw NotExportable(modelName),
        };
        var defaults = ModelCatalog.Get(modelName).DefaultCapture;
        return outputNames.Select(name => defaults.Single(spec => spec.Layer == name)).ToArray();
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="output"/>.</summary>
    public static void Export(nn.Module model, Stream output)
    {
        ArgumentNullException.ThrowIfNull(model);
        var module = model switch
        {
            SmallCnn smallCnn => SmallCnnTorchScript.Module(smallCnn),
            ResNetSmall resNet => ResNetSmallTorchScript.Module(resNet),
            _ => throw NotExportable(model.GetName()),
        };
        TorchScriptArchiveWriter.Write(output, module);
    }

    /// <summary>Writes the file through a temporary name, so a failed export leaves no half-written model.</summary>
    public static void Export(nn.Module model, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporary = fullPath + ".tmp";
        try
        {
            using (var file = File.Create(temporary))
            {
                Export(model, file);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static NotSupportedException NotExportable(string model) =>
        new($"Model '{model}' has no TorchScript exporter; exportable models: {string.Join(", ", ExportableModels)}.");
}
