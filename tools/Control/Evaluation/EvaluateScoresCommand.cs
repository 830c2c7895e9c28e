using System.CommandLine;
using System.Diagnostics;
using Streaming.Control.Cli;
using Streaming.Lab.Data;
using Streaming.LocalStack;

namespace Streaming.Control.Evaluation;

public static class EvaluateScoresCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Model folder (default .artifacts/models/small-cnn)." };
        var output = new Option<string>("--out") { Description = "Folder for scores.md.", DefaultValueFactory = _ => ".artifacts/evaluation" };
        var attacks = new Option<string>("--attacks")
        {
            Description = $"Attacks and strengths (known: {string.Join(", ", EvaluationAttacks.Names)}; separate attacks with ';').",
            DefaultValueFactory = _ => "fgsm:0.1,0.3;pgd:0.3;deepfool:1",
        };
        var neighbours = new Option<string>("--neighbours") { Description = "k values of the k-NN distance to compare.", DefaultValueFactory = _ => "1,5,10,20,50" };
        var pool = new Option<int>("--pool") { Description = "Images per clean and attacked pool.", DefaultValueFactory = _ => 1000 };
        var referenceImages = new Option<(int Start, int End)?>("--reference-images") { Description = "Test images of the reference population, start:end (default 0:5000).", CustomParser = OptionParsers.IndexRange };
        var shiftedImages = new Option<(int Start, int End)?>("--shifted-images") { Description = "Test images of the shifted clean population, start:end (default 5000:10000).", CustomParser = OptionParsers.IndexRange };
        var command = new Command("evaluate-scores",
            "Per-input scores under a benign population shift: ROC AUC per layer and fused of the k-NN and class-Mahalanobis scores, false-rejection rates, and which signal tells adversarial inputs from shifted clean ones.")
        {
            model, output, attacks, neighbours, pool, referenceImages, shiftedImages,
        };
        command.SetAction((parse, _) =>
        {
            var paths = RepoPaths.Discover();
            var defaults = new ScoreEvaluationOptions();
            var options = defaults with
            {
                Attacks = EvaluationAttacks.Parse(parse.GetValue(attacks)!),
                Neighbours = [.. parse.GetValue(neighbours)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)],
                PoolSize = parse.GetValue(pool),
                ReferenceImages = parse.GetValue(referenceImages) ?? defaults.ReferenceImages,
                ShiftedImages = parse.GetValue(shiftedImages) ?? defaults.ShiftedImages,
            };
            var started = Stopwatch.StartNew();
            var test = MnistDataset.Load(paths.MnistData, MnistSplit.Test);
            var text = new ScoreEvaluator(options, Console.Out).Run(parse.GetValue(model) ?? paths.DefaultModelDirectory, test);
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "scores.md"), text);
            Console.WriteLine(text);
            Console.WriteLine($"Measured in {started.Elapsed.TotalSeconds:0} s; written to {Path.Combine(folder, "scores.md")}");
            return Task.FromResult(0);
        });
        return command;
    }
}
