using System.CommandLine;
using Spectre.Console;
using Streaming.Control.Cli;
using Streaming.Control.Hosting;
using Streaming.Control.Replay;
using Streaming.Control.Workshop;
using Streaming.Detection;
using Streaming.Ml;

namespace Streaming.Control.Commands;

public static class CalibrateCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Model folder (default .artifacts/models/small-cnn)." };
        var count = new Option<int>("--count") { Description = "Clean vectors per layer in the reference (test images of the model's dataset, or events of the topic range).", DefaultValueFactory = _ => 1000 };
        var output = new Option<string?>("--out") { Description = "Reference file (default <model>/reference.bin)." };
        var bootstrap = new Option<string?>("--bootstrap") { Description = "Calibrate from a clean range of the activations topic on this Kafka instead of MNIST test images." };
        var topic = new Option<string>("--topic") { DefaultValueFactory = _ => Contracts.Topics.Activations };
        var from = new Option<ReplayBoundary?>("--from") { Description = "Start of the clean range: an offset or an ISO 8601 timestamp.", CustomParser = OptionParsers.Boundary };
        var to = new Option<ReplayBoundary?>("--to") { Description = "End (exclusive) of the clean range.", CustomParser = OptionParsers.Boundary };
        var stream = new Option<string?>("--stream") { Description = "Only events of this stream." };
        var modelName = new Option<string>("--model-name") { Description = "Model name in the events (topic mode).", DefaultValueFactory = _ => ModelWorkshop.ModelName };
        var command = new Command("calibrate", "Build the clean reference of every captured layer: from MNIST test images through the inference capture path, or from a clean range of the activations topic.")
        {
            model, count, output, bootstrap, topic, from, to, stream, modelName,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var paths = RepoPaths.Discover();
            var modelDirectory = parse.GetValue(model) ?? paths.DefaultModelDirectory;
            var path = parse.GetValue(output) ?? Path.Combine(modelDirectory, "reference.bin");
            ReferenceSet reference;
            if (parse.GetValue(bootstrap) is { } servers)
            {
                KafkaReachability.Ensure(servers, bootstrap.Name);
                using var reader = new ActivationRangeReader(servers, parse.GetValue(topic)!, parse.GetValue(from), parse.GetValue(to), stream: parse.GetValue(stream));
                reference = TopicCalibrator.Calibrate(reader, parse.GetValue(modelName)!, parse.GetValue(count), path, cancellationToken);
            }
            else
            {
                // The model's own dataset (manifest), so a Fashion-MNIST model is calibrated on Fashion-MNIST.
                var dataset = ModelStore.LoadManifest(modelDirectory).Dataset;
                var test = ImageDatasets.Load(dataset, paths.Root, MnistSplit.Test);
                reference = ModelWorkshop.Calibrate(modelDirectory, test, 0, parse.GetValue(count), path);
            }

            foreach (var layer in reference.Layers)
                AnsiConsole.MarkupLine($"{layer.Layer}: {layer.Count} x {layer.Dimension}, bandwidth {layer.Bandwidth:0.0000}");
            AnsiConsole.MarkupLine($"Reference written to {path}");
            return Task.FromResult(0);
        });
        return command;
    }
}
