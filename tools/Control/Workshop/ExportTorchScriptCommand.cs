using System.CommandLine;
using Streaming.Control.Cli;
using Streaming.Lab.TorchScriptExport;
using Streaming.Ml.Persistence;

namespace Streaming.Control.Workshop;

/// <summary>
/// Writes a trained small-cnn or resnet-small folder as a TorchScript file (without Python) that the Inference service
/// serves with Inference:TorchScript:Path, and that PyTorch's torch.jit.load reads too.
/// </summary>
public static class ExportTorchScriptCommand
{
    public static Command Create()
    {
        var modelDirectory = new Option<string>("--model-dir") { Description = "Folder written by `control train` (small-cnn or resnet-small).", Required = true };
        var output = new Option<string>("--out") { Description = "TorchScript file to write, e.g. small-cnn.pt.", Required = true };
        var command = new Command("export-torchscript", "Export a trained small-cnn or resnet-small as a TorchScript file returning (logits, captured layers...).") { modelDirectory, output };
        command.SetAction((parse, _) =>
        {
            var (model, manifest) = ModelStore.Load(parse.GetValue(modelDirectory)!);
            using (model)
            {
                if (!TorchScriptExporter.ExportableModels.Contains(manifest.Name))
                    throw new CliFailureException($"--model-dir: model '{manifest.Name}' cannot be exported; exportable models: {string.Join(", ", TorchScriptExporter.ExportableModels)}.");

                var path = Path.GetFullPath(parse.GetValue(output)!);
                TorchScriptExporter.Export(model, path);
                Console.WriteLine($"wrote {path} ({new FileInfo(path).Length:N0} bytes). Serve it with:");
                Console.WriteLine($"  Inference__TorchScript__Path={path}");
                Console.WriteLine($"  Inference__TorchScript__ModelName={manifest.Name}");
                var outputs = TorchScriptExporter.DefaultOutputs(manifest.Name);
                for (var i = 0; i < outputs.Count; i++)
                {
                    Console.WriteLine($"  Inference__TorchScript__Outputs__{i}__Name={outputs[i].Layer}");
                    Console.WriteLine($"  Inference__TorchScript__Outputs__{i}__Reduction={outputs[i].Reduction}");
                }
            }

            return Task.FromResult(0);
        });
        return command;
    }
}
