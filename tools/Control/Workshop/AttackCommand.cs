using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Streaming.Lab.Attacks;
using Streaming.Lab.Data;
using Streaming.LocalStack;
using Streaming.Ml.Persistence;
using static TorchSharp.torch;

namespace Streaming.Control.Workshop;

/// <summary>
/// <c>control attack</c>: success rate, perturbation norms and time per image of every attack and
/// eps on correctly classified MNIST test images; optionally a PNG grid of clean / adversarial / difference.
/// </summary>
public static class AttackCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Model folder (default .artifacts/models/small-cnn)." };
        var count = new Option<int>("--count") { Description = "Correctly classified test images to attack.", DefaultValueFactory = _ => 500 };
        var attacks = new Option<string>("--attacks") { Description = $"Comma-separated attacks: {string.Join(", ", AttackSpec.KnownNames)}.", DefaultValueFactory = _ => "noise,negation,fgsm,fgsm-targeted,bim,pgd,pgd-targeted,deepfool" };
        var epsilons = new Option<string>("--eps") { Description = "Comma-separated L-inf budgets (negation and DeepFool run once, unbounded).", DefaultValueFactory = _ => "0.1,0.2,0.3" };
        var steps = new Option<int>("--steps") { Description = "Steps of BIM and PGD.", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Seed of noise and random starts.", DefaultValueFactory = _ => 0 };
        var png = new Option<string?>("--png") { Description = "Write a grid of clean / adversarial / difference images (largest eps) to this PNG file." };
        var examples = new Option<int>("--examples") { Description = "Images per row of the PNG grid.", DefaultValueFactory = _ => 6 };
        var command = new Command("attack", "Report success rate, perturbation norms and time per image of the synthetic attacks.")
        {
            model, count, attacks, epsilons, steps, seed, png, examples,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var paths = RepoPaths.Discover();
            var names = parse.GetValue(attacks)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var budgets = parse.GetValue(epsilons)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(e => double.Parse(e, CultureInfo.InvariantCulture)).ToArray();
            var specs = Specs(names, budgets, parse.GetValue(steps), parse.GetValue(seed));

            var (classifier, manifest) = ModelStore.LoadSmallCnn(parse.GetValue(model) ?? paths.DefaultModelDirectory);
            using (classifier)
            {
                using var scope = NewDisposeScope();
                var test = MnistDataset.Load(paths.MnistData, MnistSplit.Test);
                var (images, labels) = CorrectSample(classifier, test, parse.GetValue(count));
                AnsiConsole.MarkupLine($"Model {manifest.Name} {manifest.Version} (test accuracy {manifest.TestAccuracy:P2}); attacking {images.shape[0]} correctly classified test images.");

                var table = new Table().AddColumns("attack", "eps", "images", "success", "flipped", "mean L-inf", "mean L2", "ms / image");
                var figureRows = new Dictionary<string, (float[] Clean, float[] Adversarial)>();
                var cleanExamples = AttackEvaluator.ToPixels(images.narrow(0, 0, Math.Min(parse.GetValue(examples), images.shape[0])));
                AnsiConsole.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask("attacking", maxValue: specs.Count);
                    foreach (var spec in specs)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        task.Description = $"{spec.Name} eps {spec.EpsilonText}";
                        using var attackScope = NewDisposeScope();
                        var (adversarial, outcome) = AttackEvaluator.Run(AttackFactory.Create(spec), classifier, images, labels);
                        table.AddRow(
                            outcome.Attack,
                            outcome.Epsilon?.ToString(CultureInfo.InvariantCulture) ?? "-",
                            outcome.Images.ToString(CultureInfo.InvariantCulture),
                            outcome.SuccessRate.ToString("P1", CultureInfo.InvariantCulture),
                            outcome.FlipRate.ToString("P1", CultureInfo.InvariantCulture),
                            outcome.MeanLinf.ToString("0.000", CultureInfo.InvariantCulture),
                            outcome.MeanL2.ToString("0.00", CultureInfo.InvariantCulture),
                            outcome.MillisecondsPerImage.ToString("0.00", CultureInfo.InvariantCulture));
                        // Later (larger) eps overwrite earlier ones: the figure shows each attack at its largest budget.
                        figureRows[spec.Name] = (cleanExamples, AttackEvaluator.ToPixels(adversarial.narrow(0, 0, cleanExamples.Length / MnistDataset.PixelsPerImage)));
                        task.Increment(1);
                    }
                });
                AnsiConsole.Write(table);

                if (parse.GetValue(png) is { } path)
                {
                    AttackFigure.Save(path, figureRows.Values.ToArray(), parse.GetValue(examples));
                    AnsiConsole.MarkupLine($"Figure ({string.Join(", ", figureRows.Keys)}; per image: clean, adversarial, difference) written to {path}");
                }
            }

            return Task.FromResult(0);
        });
        return command;
    }

    private static List<AttackSpec> Specs(string[] names, double[] budgets, int steps, int seed)
    {
        if (budgets.Length == 0)
            throw new ArgumentException("--eps needs at least one value.");
        var specs = new List<AttackSpec>();
        foreach (var name in names)
        {
            var first = AttackSpec.Parse(name, budgets[0]) with { Steps = steps, Seed = seed };
            specs.AddRange(first.IsBounded ? budgets.OrderBy(b => b).Select(b => first with { Epsilon = b }) : [first]);
        }

        foreach (var spec in specs)
            spec.Validate();
        return specs;
    }

    /// <summary>The first <paramref name="count"/> test images the model classifies correctly, in the caller's scope.</summary>
    private static (Tensor Images, Tensor Labels) CorrectSample(nn.Module<Tensor, Tensor> classifier, MnistDataset test, int count)
    {
        if (count <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "--count must be positive.");
        var candidates = Math.Min(test.Count, count + Math.Max(100, count / 5));
        var images = test.ImagesTensor(0, candidates);
        var labels = test.LabelsTensor(0, candidates);
        var correct = AttackEvaluator.CorrectlyClassified(classifier, images, labels);
        var take = Math.Min(count, correct.shape[0]);
        var chosen = correct.narrow(0, 0, take);
        return (images.index_select(0, chosen), labels.index_select(0, chosen));
    }
}
