using System.CommandLine;
using System.Diagnostics;
using Streaming.Detection.Scanning;
using Streaming.Lab.Data;
using Streaming.LocalStack;
using Streaming.Ml.Models;
using Streaming.Ml.Persistence;

namespace Streaming.Control.Evaluation;

public static class ScanEvaluateCommand
{
    public static Command Create()
    {
        var classifier = new Option<string?>("--classifier") { Description = "Classifier the attacks target (default .artifacts/models/small-cnn-fashion-mnist; `control train --dataset fashion-mnist`)." };
        var autoencoder = new Option<string?>("--autoencoder") { Description = "Autoencoder that is scanned (default .artifacts/models/autoencoder-fashion-mnist; `control train --model autoencoder --dataset fashion-mnist`)." };
        var attacks = new Option<string>("--attacks") { Description = "Attacks and strengths, e.g. \"bim:0.1;fgsm:0.1\".", DefaultValueFactory = _ => "bim:0.1;fgsm:0.1" };
        var background = new Option<int>("--background") { Description = "Clean test images in the scan background.", DefaultValueFactory = _ => 1000 };
        var evaluated = new Option<int>("--evaluated") { Description = "Test images scanned clean and attacked.", DefaultValueFactory = _ => 500 };
        var groups = new Option<int>("--groups") { Description = "Group scans per kind.", DefaultValueFactory = _ => 25 };
        var groupSize = new Option<int>("--group-size") { Description = "Images per group scan.", DefaultValueFactory = _ => 100 };
        var statistic = new Option<ScanStatistic>("--statistic") { Description = "BerkJones or HigherCriticism.", DefaultValueFactory = _ => ScanStatistic.BerkJones };
        var tail = new Option<PValueTail>("--tail") { Description = "Upper (activations above the background) or TwoSided.", DefaultValueFactory = _ => PValueTail.Upper };
        var alphaMax = new Option<double>("--alpha-max") { Description = "Largest threshold α of the scan, in (0, 1).", DefaultValueFactory = _ => 0.5 };
        var output = new Option<string>("--out") { Description = "Folder for report.md.", DefaultValueFactory = _ => ".artifacts/scan-evaluation" };
        var command = new Command("scan-evaluate", "Subset scanning over the autoencoder's activations and reconstruction error: ROC AUC per layer for BIM and FGSM on Fashion-MNIST, individual and group scans.")
        {
            classifier, autoencoder, attacks, background, evaluated, groups, groupSize, statistic, tail, alphaMax, output,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var paths = RepoPaths.Discover();
            var models = Path.GetDirectoryName(paths.DefaultModelDirectory)!;
            var options = new ScanEvaluationOptions
            {
                Attacks = EvaluationAttacks.Parse(parse.GetValue(attacks)!),
                Background = parse.GetValue(background),
                Evaluated = parse.GetValue(evaluated),
                Groups = parse.GetValue(groups),
                GroupSize = parse.GetValue(groupSize),
                Scan = new SubsetScanOptions { Statistic = parse.GetValue(statistic), Tail = parse.GetValue(tail), AlphaMax = parse.GetValue(alphaMax) },
            };
            var started = Stopwatch.StartNew();
            var (classifierModel, _) = ModelStore.Load(parse.GetValue(classifier) ?? Path.Combine(models, $"{ModelCatalog.SmallCnnName}-{ImageDatasets.FashionMnist}"));
            var (autoencoderModel, _) = ModelStore.Load(parse.GetValue(autoencoder) ?? Path.Combine(models, $"{ModelCatalog.AutoencoderName}-{ImageDatasets.FashionMnist}"));
            using (classifierModel)
            using (autoencoderModel)
            {
                var test = ImageDatasets.Load(ImageDatasets.FashionMnist, paths.Root, MnistSplit.Test);
                var results = new ScanEvaluator(options, Console.Out).Run(classifierModel, autoencoderModel, ConvAutoencoder.LayerNames, test, cancellationToken);
                var folder = Path.GetFullPath(parse.GetValue(output)!);
                Console.WriteLine(ScanEvaluationReport.Write(folder, results, options, started.Elapsed));
                Console.WriteLine($"Report written to {folder}");
            }
            return Task.FromResult(0);
        });
        return command;
    }
}
