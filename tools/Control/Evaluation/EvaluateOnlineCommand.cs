using System.CommandLine;
using Streaming.Lab.Data;
using Streaming.LocalStack;

namespace Streaming.Control.Evaluation;

public static class EvaluateOnlineCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Model folder (default .artifacts/models/small-cnn)." };
        var output = new Option<string>("--out") { Description = "Folder for report.md, report.json and online-trace.png.", DefaultValueFactory = _ => ".artifacts/evaluation-online" };
        var window = new Option<int>("--window") { Description = "W, events in the sliding window.", DefaultValueFactory = _ => 20 };
        var ert = new Option<double>("--ert") { Description = "Configured expected run time between false alarms (events).", DefaultValueFactory = _ => 500 };
        var bootstraps = new Option<int>("--bootstraps") { Description = "Simulated clean streams for the thresholds (at least 5 x ERT x layers).", DefaultValueFactory = _ => 20_000 };
        var falseAlarms = new Option<int>("--false-alarms") { Description = "False alarms to observe on clean streams.", DefaultValueFactory = _ => 100 };
        var runs = new Option<int>("--runs") { Description = "Runs per attack for the detection delay.", DefaultValueFactory = _ => 100 };
        var attacks = new Option<string>("--attacks")
        {
            Description = $"Attacks and strengths, e.g. \"fgsm:0.1,0.3;pgd:0.1\" (known: {string.Join(", ", EvaluationAttacks.Names)}).",
            DefaultValueFactory = _ => "fgsm:0.1,0.3;pgd:0.1",
        };
        var command = new Command("evaluate-online", "Online (sequential) MMD detector: measured ERT between false alarms on clean streams vs the configured one, and detection delay per attack.")
        {
            model, output, window, ert, bootstraps, falseAlarms, runs, attacks,
        };
        command.SetAction((parse, _) =>
        {
            var paths = RepoPaths.Discover();
            var options = new OnlineEvaluationOptions
            {
                WindowSize = parse.GetValue(window),
                ExpectedRunTime = parse.GetValue(ert),
                Bootstraps = parse.GetValue(bootstraps),
                FalseAlarms = parse.GetValue(falseAlarms),
                DelayRuns = parse.GetValue(runs),
                Attacks = EvaluationAttacks.Parse(parse.GetValue(attacks)!),
            };
            var test = MnistDataset.Load(paths.MnistData, MnistSplit.Test);
            var report = new OnlineEvaluator(options, Console.Out).Run(parse.GetValue(model) ?? paths.DefaultModelDirectory, test);
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            Console.WriteLine(report.Write(folder));
            Console.WriteLine($"Report and trace plot written to {folder}");
            return Task.FromResult(0);
        });
        return command;
    }
}
