using System.CommandLine;
using System.Diagnostics;
using Streaming.Control.Cli;
using Streaming.Lab.Data;
using Streaming.LocalStack;

namespace Streaming.Control.Evaluation;

public static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Model folder (default .artifacts/models/small-cnn)." };
        var output = new Option<string>("--out") { Description = "Folder for report.md and the PNG plots.", DefaultValueFactory = _ => ".artifacts/evaluation" };
        var tests = new Option<int>("--tests") { Description = "K, tests per configuration.", DefaultValueFactory = _ => 100 };
        var permutations = new Option<int>("--permutations") { Description = "Permutations per test.", DefaultValueFactory = _ => 200 };
        var attacks = new Option<string>("--attacks")
        {
            Description = $"Attacks and strengths, e.g. \"fgsm:0.05,0.1,0.2,0.3\" (known: {string.Join(", ", EvaluationAttacks.Names)}; separate attacks with ';').",
            DefaultValueFactory = _ => "fgsm:0.05,0.1,0.2,0.3",
        };
        var shareAttack = new Option<string>("--share-attack") { Description = "Attack of the mixed windows (100/50/20/10 % attacked).", DefaultValueFactory = _ => "fgsm:0.1" };
        var multi = new Option<bool>("--multi-bandwidth") { Description = "Sum of Gaussian kernels at σ·2^-2..2^2 instead of σ alone." };
        var decisionAttacks = new Option<string>("--decision-attacks")
        {
            Description = "Attacks of the window-decision sweep (combined decision, MMD alone, scan alone, per-input alone at 100/50/20/10/5 % attacked, same population and benign shift); 'none' skips it.",
            DefaultValueFactory = _ => "pgd:0.3;fgsm:0.1;deepfool:1",
        };
        var decisionTests = new Option<int>("--decision-tests") { Description = "Windows per configuration of the window-decision sweep.", DefaultValueFactory = _ => 100 };
        var decisionOnly = new Option<bool>("--decision-only") { Description = "Run only the window-decision sweep (not the per-layer MMD tables)." };
        var decisionDump = new Option<string?>("--decision-dump") { Description = "Folder for the sweep's raw p-values (events.csv, windows.csv, calibration.csv), to study a per-input statistic off-line." };
        var command = new Command("evaluate", "Detection rate per layer (FGSM and other attacks), false-positive rate with a Wilson interval, detection vs share attacked, ROC/AUC plots, per-input ROC AUC per layer and fused.")
        {
            model, output, tests, permutations, attacks, shareAttack, multi, decisionAttacks, decisionTests, decisionOnly, decisionDump,
        };
        command.SetAction((parse, _) =>
        {
            var paths = RepoPaths.Discover();
            var options = new EvaluationOptions
            {
                Tests = parse.GetValue(tests),
                Permutations = parse.GetValue(permutations),
                Attacks = EvaluationAttacks.Parse(parse.GetValue(attacks)!),
                ShareAttack = EvaluationAttacks.Parse(parse.GetValue(shareAttack)!)[0],
                MultiBandwidth = parse.GetValue(multi),
            };
            var decisionSpecification = parse.GetValue(decisionAttacks)!;
            var decision = new DecisionEvaluationOptions
            {
                Attacks = decisionSpecification.Trim() == "none" ? [] : EvaluationAttacks.Parse(decisionSpecification),
                Tests = parse.GetValue(decisionTests),
                DumpFolder = parse.GetValue(decisionDump) is { } dump ? Path.GetFullPath(dump) : null,
            };
            if (decision.Tests < 1) throw new CliFailureException("--decision-tests must be at least 1.");
            var started = Stopwatch.StartNew();
            var test = MnistDataset.Load(paths.MnistData, MnistSplit.Test);
            var modelDirectory = parse.GetValue(model) ?? paths.DefaultModelDirectory;
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            var text = "";
            if (!parse.GetValue(decisionOnly))
            {
                var evaluator = new DetectionEvaluator(options, Console.Out);
                var results = evaluator.Run(modelDirectory, test);
                text = EvaluationReport.Write(folder, evaluator.Layers, results, options, started.Elapsed, evaluator.PerInput);
            }
            if (decision.Attacks.Count > 0 || parse.GetValue(decisionOnly))
            {
                var decided = new DecisionEvaluator(decision, Console.Out).Run(modelDirectory, test);
                text += (text.Length > 0 ? Environment.NewLine : "") + DecisionReport.Write(folder, decided, decision);
                File.WriteAllText(Path.Combine(folder, "report.md"), text);
            }
            Console.WriteLine(text);
            Console.WriteLine($"Report and plots written to {folder}");
            return Task.FromResult(0);
        });
        return command;
    }
}
