using System.CommandLine;
using Spectre.Console;
using Streaming.Control.Cli;
using Streaming.Control.Demo;
using Streaming.Lab.Attacks;
using Streaming.Lab.Data;
using Streaming.Lab.Traffic;
using Streaming.LocalStack;
using Streaming.Ml.Persistence;

namespace Streaming.Control.Workshop;

/// <summary>
/// <c>control traffic</c>: sends a seeded mix of clean and attacked MNIST test images to a running
/// inference endpoint; every event carries its ground truth (attack, epsilon, label, target) as attributes.
/// </summary>
public static class TrafficCommand
{
    public static Command Create()
    {
        var url = new Option<Uri>("--url") { Description = "Base address of the inference service, e.g. http://localhost:5000.", Required = true, CustomParser = OptionParsers.HttpUrl };
        var count = new Option<int>("--count") { Description = "Images to send.", DefaultValueFactory = _ => 1000 };
        var cleanShare = new Option<double>("--clean-share") { Description = "Share of clean images in [0, 1].", DefaultValueFactory = _ => 0.5 };
        var attack = new Option<string>("--attack") { Description = $"Attack of the other images: {string.Join(", ", AttackSpec.KnownNames)}.", DefaultValueFactory = _ => "fgsm" };
        var epsilon = new Option<double>("--epsilon") { Description = "L-inf budget of the attack.", DefaultValueFactory = _ => 0.3 };
        var steps = new Option<int>("--steps") { Description = "Steps of BIM and PGD.", DefaultValueFactory = _ => 10 };
        var target = new Option<int?>("--target") { Description = "Target class of a targeted attack (default: label + 1)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the mix, the image choice and the attack's random draws.", DefaultValueFactory = _ => 1 };
        var stream = new Option<string>("--stream") { Description = "Stream id of the requests.", DefaultValueFactory = _ => "traffic" };
        var batch = new Option<int>("--batch") { Description = "Images per request.", DefaultValueFactory = _ => 50 };
        var model = new Option<string?>("--model") { Description = "Model the attacks are computed against (default .artifacts/models/small-cnn)." };
        var apiKey = ApiKeyOption.Create();
        var command = new Command("traffic", "Send a mix of clean and attacked images, each event marked with its ground truth.")
        {
            url, count, cleanShare, attack, epsilon, steps, target, seed, stream, batch, model, apiKey,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Fail on an unreachable endpoint before generating the attacks, which takes a while.
            using var http = HttpReachability.CreateClient(TimeSpan.FromSeconds(60));
            ApiKeyOption.Apply(http, parse.GetValue(apiKey));
            await HttpReachability.EnsureAsync(http, parse.GetValue(url)!, url.Name, cancellationToken);

            var paths = RepoPaths.Discover();
            var spec = AttackSpec.Parse(parse.GetValue(attack)!, parse.GetValue(epsilon)) with
            {
                Steps = parse.GetValue(steps),
                TargetClass = parse.GetValue(target),
                Seed = parse.GetValue(seed),
            };
            var plan = new TrafficPlan(parse.GetValue(count), parse.GetValue(cleanShare), spec, parse.GetValue(seed));
            plan.Validate();

            TrafficBatch traffic;
            var (classifier, manifest) = ModelStore.LoadSmallCnn(parse.GetValue(model) ?? paths.DefaultModelDirectory);
            using (classifier)
            {
                var test = MnistDataset.Load(paths.MnistData, MnistSplit.Test);
                traffic = AnsiConsole.Status().Start(
                    $"Generating {plan.AttackedCount} {spec.Name} images against {manifest.Name} {manifest.Version} …",
                    _ => TrafficGenerator.Generate(classifier, test, plan));
            }

            var sender = new TrafficSender(http, parse.GetValue(url)!);
            var attributes = traffic.Items.Select(i => i.Attributes()).ToArray();
            var streamId = parse.GetValue(stream)!;
            IReadOnlyList<double> latencies = [];
            await AnsiConsole.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"{streamId}: {plan.CleanCount} clean + {plan.AttackedCount} {spec.Name}", maxValue: plan.Count);
                latencies = await sender.SendAsync(
                    streamId, traffic.Pixels, plan.Count, parse.GetValue(batch), null, attributes, new Progress<int>(sent => task.Value = sent), cancellationToken);
                task.Value = plan.Count;
            });

            var sorted = latencies.Order().ToArray();
            AnsiConsole.MarkupLine(
                $"Sent {plan.Count} images ({plan.CleanCount} clean, {plan.AttackedCount} {spec.Name} eps {spec.EpsilonText}) in {sorted.Length} requests; " +
                $"request latency p50 {sorted[sorted.Length / 2]:0} ms, max {sorted[^1]:0} ms.");
            return 0;
        });
        return command;
    }
}
