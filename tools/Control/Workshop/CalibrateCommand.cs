using System.CommandLine;
using Spectre.Console;
using Streaming.Control.Cli;
using Streaming.Control.References;
using Streaming.Control.Replay;
using Streaming.Detection;
using Streaming.Lab.Data;
using Streaming.LocalStack;
using Streaming.Ml.Persistence;

namespace Streaming.Control.Workshop;

/// <summary>
/// `control calibrate`: the clean reference file (format v2). The clean source (the model's test
/// images, or a range of the activations topic) is sampled with a seed, never taken from its start:
/// a uniform random sample of --count inputs becomes the reference (MMD and the k-NN neighbours of
/// per-input scoring) and a disjoint one of --calibration-count inputs the held-out calibration
/// split that turns per-input scores into conformal p-values.
/// </summary>
public static class CalibrateCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Model folder (default .artifacts/models/small-cnn)." };
        var count = new Option<int>("--count") { Description = "Reference inputs: clean vectors per layer for the MMD test and the k-NN scores.", DefaultValueFactory = _ => Workshop.CleanSample.DefaultReferenceCount };
        var calibrationCount = new Option<int>("--calibration-count") { Description = "Held-out calibration inputs (disjoint from the reference) for the conformal p-values of per-input scores.", DefaultValueFactory = _ => Workshop.CleanSample.DefaultCalibrationCount };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random sample of the clean source.", DefaultValueFactory = _ => CalibrationSample.DefaultSeed };
        var images = new Option<(int Start, int End)?>("--images") { Description = "Test images to sample from, start:end (end exclusive; default all of the test split).", CustomParser = OptionParsers.IndexRange };
        var output = new Option<string?>("--out") { Description = "Reference file (default <model>/reference.bin)." };
        var bootstrap = new Option<string?>("--bootstrap") { Description = "Calibrate from a clean range of the activations topic on this Kafka instead of MNIST test images." };
        var topic = new Option<string>("--topic") { DefaultValueFactory = _ => Contracts.Topics.Activations };
        var from = new Option<ReplayBoundary?>("--from") { Description = "Start of the clean range: an offset or an ISO 8601 timestamp.", CustomParser = OptionParsers.Boundary };
        var to = new Option<ReplayBoundary?>("--to") { Description = "End (exclusive) of the clean range.", CustomParser = OptionParsers.Boundary };
        var stream = new Option<string?>("--stream") { Description = "Only events of this stream." };
        var modelName = new Option<string>("--model-name") { Description = "Model name in the events (topic mode).", DefaultValueFactory = _ => ModelWorkshop.ModelName };
        var publish = new Option<bool>("--publish") { Description = "Also publish the reference to the registry in Redis (--redis, --prefix) as a candidate, after the registry's checks." };
        var activate = new Option<bool>("--activate") { Description = "With --publish: activate it at once (the Detector in registry mode serves it within its poll interval)." };
        var allowLayerChange = new Option<bool>("--allow-layer-change") { Description = "With --publish: accept layers or dimensions that differ from the model's references already published." };
        var (redis, prefix) = ReferencesCommand.RegistryOptions();
        var command = new Command("calibrate",
            "Build the clean reference of every captured layer (file format v2), from the model's test images through the inference capture path or from a clean range of the activations topic. "
            + "The clean source is sampled at random with --seed (every image of --images, or every event of the topic range, is equally likely), not taken from its start: "
            + "--count sampled inputs become the reference (MMD test and k-NN neighbours) and --calibration-count further ones, disjoint from it, the held-out calibration split of the per-input conformal p-values.")
        {
            model, count, calibrationCount, seed, images, output, bootstrap, topic, from, to, stream, modelName, publish, activate, allowLayerChange, redis, prefix,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(activate) && !parse.GetValue(publish))
                throw new CliFailureException("--activate needs --publish.");
            var paths = RepoPaths.Discover();
            var modelDirectory = parse.GetValue(model) ?? paths.DefaultModelDirectory;
            var path = parse.GetValue(output) ?? Path.Combine(modelDirectory, "reference.bin");
            ReferenceSet reference;
            if (parse.GetValue(bootstrap) is { } servers)
            {
                KafkaReachability.Ensure(servers, bootstrap.Name);
                using var reader = new ActivationRangeReader(servers, parse.GetValue(topic)!, parse.GetValue(from), parse.GetValue(to), stream: parse.GetValue(stream));
                reference = TopicCalibrator.Calibrate(reader, parse.GetValue(modelName)!, parse.GetValue(count), parse.GetValue(calibrationCount), parse.GetValue(seed), path, cancellationToken);
            }
            else
            {
                // The model's own dataset (manifest), so a Fashion-MNIST model is calibrated on Fashion-MNIST.
                var dataset = ModelStore.LoadManifest(modelDirectory).Dataset;
                var test = ImageDatasets.Load(dataset, paths.Root, MnistSplit.Test);
                var (start, end) = parse.GetValue(images) ?? (0, test.Count);
                if (end > test.Count)
                    throw new CliFailureException($"--images: {start}:{end} goes beyond the {test.Count} test images.");
                reference = ModelWorkshop.CalibrateSample(modelDirectory, test, dataset, start, end, parse.GetValue(count), parse.GetValue(calibrationCount), parse.GetValue(seed), path);
            }

            foreach (var layer in reference.Layers)
                AnsiConsole.MarkupLine($"{layer.Layer}: {layer.Count} x {layer.Dimension}, bandwidth {layer.Bandwidth:0.0000}");
            if (reference.Calibration is { } split)
                AnsiConsole.MarkupLineInterpolated($"Calibration split: {split.Count} inputs; sample: {split.Source}");
            AnsiConsole.MarkupLine($"Reference written to {path} (format v{ReferenceFile.FormatVersion})");
            if (parse.GetValue(publish))
            {
                await using var registry = await RegistryConnection.OpenAsync(parse.GetValue(redis)!, parse.GetValue(prefix)!, cancellationToken);
                var published = await ReferencesCommand.Publish(registry.Store, await File.ReadAllBytesAsync(path, cancellationToken), "", parse.GetValue(activate), parse.GetValue(allowLayerChange), cancellationToken);
                Console.Out.WriteLine($"Published {published.Id} ({ReferenceText.State(published.State)})");
            }
            return 0;
        });
        return command;
    }
}
