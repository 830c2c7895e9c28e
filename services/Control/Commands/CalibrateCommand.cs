using System.CommandLine;
using Spectre.Console;
using Streaming.Control.Hosting;
using Streaming.Control.Workshop;
using Streaming.Ml;

namespace Streaming.Control.Commands;

public static class CalibrateCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Model folder (default .artifacts/models/small-cnn)." };
        var count = new Option<int>("--count") { Description = "Clean MNIST test images in the reference.", DefaultValueFactory = _ => 1000 };
        var output = new Option<string?>("--out") { Description = "Reference file (default <model>/reference.bin)." };
        var command = new Command("calibrate", "Build the clean reference of every captured layer through the inference capture path.") { model, count, output };
        command.SetAction((parse, _) =>
        {
            var paths = RepoPaths.Discover();
            var modelDirectory = parse.GetValue(model) ?? paths.DefaultModelDirectory;
            var path = parse.GetValue(output) ?? Path.Combine(modelDirectory, "reference.bin");
            var test = MnistDataset.Load(paths.MnistData, MnistSplit.Test);
            var reference = ModelWorkshop.Calibrate(modelDirectory, test, 0, parse.GetValue(count), path);
            foreach (var layer in reference.Layers)
                AnsiConsole.MarkupLine($"{layer.Layer}: {layer.Count} x {layer.Dimension}, bandwidth {layer.Bandwidth:0.0000}");
            AnsiConsole.MarkupLine($"Reference written to {path}");
            return Task.FromResult(0);
        });
        return command;
    }
}
