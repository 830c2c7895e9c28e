using Streaming.Control.Workshop;
using Streaming.Detection;
using Streaming.Detection.Decision;
using Streaming.Detection.Scanning;
using Streaming.Detection.Scoring;
using Streaming.Lab.Data;
using Streaming.Ml.Serving;
using static TorchSharp.torch;

namespace Streaming.Control.Evaluation;

/// <summary>
/// The Detector's window decision, measured off-line on windows mixed from clean and attacked inputs
/// (issue 11, item 8): the same reference calibration, MMD tester, per-input scorer, subset scanner and
/// <see cref="WindowEvidenceBuilder"/> the Detector runs, so every rate here is the rate the live
/// pipeline would show, without Kafka and Redis around it. Two settings: <c>same population</c> (the
/// reference is the seeded sample the demo calibrates, traffic the rest of the test set) and
/// <c>benign shift</c> (the reference is drawn from test images 0-4,999 only, traffic is images
/// 5,000-9,999: another writer population; clean windows there may alert, but as <c>shift</c>).
/// </summary>
public sealed class DecisionEvaluator(DecisionEvaluationOptions options, TextWriter log)
{
    private readonly DecisionDump? _dump = options.DumpFolder is null ? null : new DecisionDump(options.DumpFolder);

    public IReadOnlyList<DecisionResult> Run(string modelDirectory, MnistDataset test)
    {
        using var runner = ModelRunner.Load(modelDirectory);
        var results = new List<DecisionResult>();
        var same = CleanSample.Draw(test.Count, options.ReferenceCount, options.CalibrationCount, options.Seed);
        results.AddRange(RunSetting("same population", modelDirectory, runner, test, same.Reference, same.Calibration, same.Traffic));

        var (start, end) = options.ShiftReferenceImages;
        var (reference, calibration) = CalibrationSample.Draw(end - start, options.ReferenceCount, options.CalibrationCount, options.Seed);
        var shifted = Enumerable.Range(0, test.Count).Where(i => i < start || i >= end).ToArray();
        new Random(unchecked((int)options.Seed)).Shuffle(shifted);
        results.AddRange(RunSetting("benign shift", modelDirectory, runner, test, [.. reference.Select(i => i + start)], [.. calibration.Select(i => i + start)], shifted));
        return results;
    }

    private List<DecisionResult> RunSetting(string setting, string modelDirectory, ModelRunner runner, MnistDataset test,
        IReadOnlyList<int> referenceImages, IReadOnlyList<int> calibrationImages, IReadOnlyList<int> trafficImages)
    {
        log.WriteLine($"[{setting}] reference {referenceImages.Count} + calibration {calibrationImages.Count}, traffic pool {trafficImages.Count} …");
        var reference = LabelledPool.Capture("reference", runner, LabelledPool.Subset(test, referenceImages));
        var calibration = LabelledPool.Capture("calibration", runner, LabelledPool.Subset(test, calibrationImages));
        var traffic = LabelledPool.Subset(test, trafficImages);
        var clean = LabelledPool.Capture("clean", runner, traffic);
        var set = ReferenceCalibrator.Create(runner.Manifest.Name, runner.Manifest.Version,
            reference.ByLayer.ToDictionary(), reference.Predicted, calibration.ByLayer.ToDictionary(), calibration.Predicted,
            options.Seed, "evaluate (decision)", TimeProvider.System);

        using var tester = new WindowTester(set, CPU, new WindowTesterOptions
        {
            Alpha = options.Alpha,
            Test = new MmdTestOptions { Permutations = options.Permutations, Seed = options.Seed },
        });
        // The same MMD tests against the null precomputed from the calibration split (Detector:Mmd:Null
        // = Precomputed), on the same windows: its false alarms and how often it decides as permutations do.
        using var precomputed = new WindowTester(set, CPU, new WindowTesterOptions
        {
            Alpha = options.Alpha,
            Null = MmdNullMode.Precomputed,
            Test = new MmdTestOptions { Permutations = options.Permutations, Seed = options.Seed },
        });
        var scanner = WindowScanner.Create(set, new SubsetScanOptions { Seed = (int)options.Seed },
            new ScanNullOptions { Windows = options.ScanNullWindows, MaxDegreeOfParallelism = Environment.ProcessorCount });
        scanner?.Prepare([options.WindowSize]);
        var scorer = new PerInputScorer(set);
        var builder = new WindowEvidenceBuilder(scorer, options.Alpha, scanner);
        var layers = set.Layers.Select(l => l.Layer).ToArray();

        _dump?.Pool(setting, "clean", clean, scorer, layers);
        var results = new List<DecisionResult> { Sweep(setting, "clean", 0, clean, null, tester, precomputed, builder, layers) };
        int attackCount = Math.Min(options.AttackPool, trafficImages.Count);
        foreach (var (attack, strength) in options.Attacks)
        {
            string name = attack == "deepfool" ? attack : FormattableString.Invariant($"{attack} {strength}");
            log.WriteLine($"[{setting}] generating {attackCount} {name} images …");
            var pixels = ActivationPools.Attack(modelDirectory, traffic, 0, attackCount, (attack, strength));
            var attacked = LabelledPool.Capture(name, runner, MnistDataset.FromArrays(pixels, traffic.Labels[..attackCount]));
            _dump?.Pool(setting, name, attacked, scorer, layers);
            foreach (double share in options.Shares)
                results.Add(Sweep(setting, name, share, clean, attacked, tester, precomputed, builder, layers));
        }
        return results;
    }

    private DecisionResult Sweep(string setting, string name, double share, LabelledPool clean, LabelledPool? attacked,
        WindowTester tester, WindowTester precomputed, WindowEvidenceBuilder builder, string[] layers)
    {
        int n = options.WindowSize;
        int attackedCount = attacked is null ? 0 : Math.Max(1, (int)Math.Round(share * n));
        int combined = 0, mmd = 0, scan = 0, inputs = 0, adversarial = 0, cheap = 0, agree = 0;
        for (int k = 0; k < options.Tests; k++)
        {
            // Window k of every configuration draws with the same seed: a paired design.
            var random = new Random(unchecked((int)options.Seed * 7919 + k));
            var cleanRows = ActivationPools.Choose(random, clean.Count, n - attackedCount);
            var attackedRows = attacked is null ? [] : ActivationPools.Choose(random, attacked.Count, attackedCount);
            var window = layers.ToDictionary(l => l, l => cleanRows.Select(i => clean.ByLayer[l][i]).Concat(attackedRows.Select(i => attacked!.ByLayer[l][i])).ToArray());
            var predicted = cleanRows.Select(i => (int?)clean.Predicted[i]).Concat(attackedRows.Select(i => (int?)attacked!.Predicted[i])).ToArray();
            var outcome = tester.Test(window);
            var evidence = builder.Build(outcome, [.. layers.Select(l => window[l])], predicted);
            var decision = evidence.Decision;
            _dump?.Window(setting, name, share, k, decision, cleanRows, attackedRows);
            if (decision.Alert) combined++;
            if (decision.MmdPValue < options.Alpha) mmd++;
            if (decision.ScanPValue < options.Alpha) scan++;
            if (decision.InputPValue < options.Alpha) inputs++;
            if (decision.Alert && evidence.Kind == EvidenceKind.Adversarial) adversarial++;
            bool cheapRejects = precomputed.Test(window).CombinedPValue < options.Alpha;
            if (cheapRejects) cheap++;
            if (cheapRejects == outcome.CombinedPValue < options.Alpha) agree++;
        }
        log.WriteLine(FormattableString.Invariant($"[{setting}] {name} {share:P0}: combined {combined}/{options.Tests}, MMD {mmd}, scan {scan}, per-input {inputs}, adversarial {adversarial}; MMD precomputed null {cheap}, same MMD decision {agree}"));
        return new DecisionResult(setting, name, attacked is null ? 0 : share, options.Tests, combined, mmd, scan, inputs, adversarial, cheap, agree);
    }
}
