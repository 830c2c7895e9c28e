using System.Globalization;
using System.Text;
using Streaming.Detection;
using Streaming.Detection.Scoring;
using Streaming.Lab.Data;
using Streaming.Lab.Evaluation;
using Streaming.Ml.Serving;

namespace Streaming.Control.Evaluation;

/// <summary>
/// Measures per-input scoring under a benign population shift (issue 11, items 1 and 7). The
/// reference (and its calibration split, and an in-distribution clean pool) is a seeded sample of
/// test images 0-4,999; clean images 5,000-9,999 are another writer population; the attacks perturb
/// images of that shifted population. Reports ROC AUC per layer and fused for every nonconformity
/// measure, and how well each candidate adversarial signal tells attacked inputs from shifted clean ones.
/// </summary>
public sealed class ScoreEvaluator(ScoreEvaluationOptions options, TextWriter log)
{
    public string Run(string modelDirectory, MnistDataset test)
    {
        var (referenceStart, referenceEnd) = options.ReferenceImages;
        var (shiftedStart, shiftedEnd) = options.ShiftedImages;
        var (reference, rest) = CalibrationSample.Draw(referenceEnd - referenceStart, options.ReferenceCount, options.CalibrationCount + options.PoolSize, options.Seed);
        var calibration = rest[..options.CalibrationCount];
        var inDistribution = rest[options.CalibrationCount..];
        var (shifted, _) = CalibrationSample.Draw(shiftedEnd - shiftedStart, options.PoolSize, 1, options.Seed + 1);

        using var runner = ModelRunner.Load(modelDirectory);
        log.WriteLine("Activations of the reference, calibration and clean pools …");
        var referencePool = LabelledPool.Capture("reference", runner, LabelledPool.Subset(test, Offset(reference, referenceStart)));
        var calibrationPool = LabelledPool.Capture("calibration", runner, LabelledPool.Subset(test, Offset(calibration, referenceStart)));
        var clean = LabelledPool.Capture("clean (same population)", runner, LabelledPool.Subset(test, Offset(inDistribution, referenceStart)));
        var shiftedImages = LabelledPool.Subset(test, Offset(shifted, shiftedStart));
        var shiftedPool = LabelledPool.Capture("clean, shifted population", runner, shiftedImages);
        var attacked = new List<LabelledPool>();
        foreach (var (attack, strength) in options.Attacks)
        {
            log.WriteLine(FormattableString.Invariant($"Generating {options.PoolSize} {attack} {strength} images of the shifted population …"));
            var pixels = ActivationPools.Attack(modelDirectory, shiftedImages, 0, options.PoolSize, (attack, strength));
            attacked.Add(LabelledPool.Capture(FormattableString.Invariant($"{attack} {strength}"), runner, MnistDataset.FromArrays(pixels, shiftedImages.Labels)));
        }

        var layers = runner.Layers.Select(l => l.Name).ToArray();
        var set = ReferenceCalibrator.Create(runner.Manifest.Name, runner.Manifest.Version,
            referencePool.ByLayer.ToDictionary(), referencePool.Predicted, calibrationPool.ByLayer.ToDictionary(), calibrationPool.Predicted,
            options.Seed, "evaluate-scores", TimeProvider.System);

        var report = new StringBuilder();
        report.AppendLine(Invariant($"Reference {options.ReferenceCount} + calibration {options.CalibrationCount} images sampled (seed {options.Seed}) from test images {referenceStart}-{referenceEnd - 1}; ")
            + Invariant($"clean pool {options.PoolSize} more from the same range; shifted pool {options.PoolSize} from {shiftedStart}-{shiftedEnd - 1}; attacks perturb the shifted pool's images."));
        report.AppendLine();
        report.AppendLine("Attack success (prediction ≠ label): " + string.Join(", ", attacked.Select(a => Invariant($"{a.Name} {Success(a):P0}"))));
        report.AppendLine();
        report.AppendLine("## Per-input ROC AUC (attacked vs clean of the same population / vs clean of the shifted population)");
        report.AppendLine();
        report.AppendLine("| measure | attack | " + string.Join(" | ", layers) + " | fused vs same | fused vs shifted |");
        report.AppendLine("| --- | --- |" + string.Concat(Enumerable.Repeat(" --- |", layers.Length + 2)));

        var measures = options.Neighbours.Select(k => (Name: $"k-NN k={k}", Options: new PerInputScorerOptions { Neighbours = k, Measure = NonconformityMeasure.KnnDistance }))
            .Append(("class Mahalanobis (default)", new PerInputScorerOptions()));
        var rates = new StringBuilder();
        foreach (var (name, scorerOptions) in measures)
        {
            var scorer = new PerInputScorer(set, scorerOptions);
            var cleanScores = Score(scorer, clean, layers);
            var shiftedScores = Score(scorer, shiftedPool, layers);
            var attackedScores = attacked.Select(a => Score(scorer, a, layers)).ToList();
            foreach (var (pool, scores) in attacked.Zip(attackedScores))
            {
                var cells = layers.Select((_, l) => Auc(scores, cleanScores, s => s.LayerScores[l]));
                report.AppendLine($"| {name} | {pool.Name} | {string.Join(" | ", cells)} | {Auc(scores, cleanScores, s => -s.FusedPValue)} | {Auc(scores, shiftedScores, s => -s.FusedPValue)} |");
            }
            var shiftCells = layers.Select((_, l) => Auc(shiftedScores, cleanScores, s => s.LayerScores[l]));
            report.AppendLine($"| {name} | (no attack) shifted clean | {string.Join(" | ", shiftCells)} | {Auc(shiftedScores, cleanScores, s => -s.FusedPValue)} | – |");
            rates.AppendLine(Invariant($"| {name} | {Rate(cleanScores, s => s.FusedPValue <= 0.05)} | {Rate(shiftedScores, s => s.FusedPValue <= 0.05)} | ")
                + string.Join(" | ", attackedScores.Select(a => Rate(a, s => s.FusedPValue <= 0.05))) + " |");
        }

        report.AppendLine();
        report.AppendLine("## Share of inputs with fused p ≤ 0.05 (clean: false rejections; a conformal p-value keeps the same population at ≤ 0.05)");
        report.AppendLine();
        report.AppendLine("| measure | clean, same population | clean, shifted | " + string.Join(" | ", attacked.Select(a => a.Name)) + " |");
        report.AppendLine("| --- | --- | --- |" + string.Concat(attacked.Select(_ => " --- |")));
        report.Append(rates);
        AppendEvidence(report, layers, set, clean, shiftedPool, attacked);
        return report.ToString();
    }

    private static void AppendEvidence(StringBuilder report, string[] layers, ReferenceSet set, LabelledPool clean, LabelledPool shifted, List<LabelledPool> attacked)
    {
        var scorer = new PerInputScorer(set);
        var cleanScores = Score(scorer, clean, layers);
        var shiftedScores = Score(scorer, shifted, layers);
        var attackedScores = attacked.Select(a => Score(scorer, a, layers)).ToList();
        report.AppendLine();
        report.AppendLine("## Adversarial vs shift: ROC AUC of each candidate signal, attacked inputs vs clean inputs of the shifted population (default scorer, k = 10)");
        report.AppendLine();
        var candidates = new List<(string Name, Func<InputScore, LabelledPool, int, double> Signal)>
        {
            ("class gap, sum over layers (default signal)", (s, _, _) => s.ClassGap ?? 0),
        };
        for (int l = 0; l < layers.Length; l++)
        {
            int layer = l;
            candidates.Add(($"class gap, {layers[l]}", (s, _, _) => s.LayerClassGap?[layer] ?? 0));
        }
        candidates.Add(("k-NN label disagreement, mean over layers", (s, _, _) => s.LabelDisagreement ?? 0));
        for (int l = 0; l < layers.Length; l++)
        {
            int layer = l;
            candidates.Add(($"k-NN label disagreement, {layers[l]}", (s, _, _) => s.LayerLabelDisagreement?[layer] ?? 0));
        }
        candidates.Add(("1 − confidence (small decision margin)", (_, pool, i) => 1 - pool.Confidence[i]));
        candidates.Add(("fused per-input p (−p)", (s, _, _) => -s.FusedPValue));
        report.AppendLine("| signal | " + string.Join(" | ", attacked.Select(a => a.Name)) + " | shifted vs same-population clean |");
        report.AppendLine("| --- |" + string.Concat(Enumerable.Repeat(" --- |", attacked.Count + 1)));
        foreach (var (name, signal) in candidates)
        {
            double[] Values(LabelledPool pool, InputScore[] scores) => [.. scores.Select((s, i) => signal(s, pool, i))];
            var shiftedValues = Values(shifted, shiftedScores);
            var cells = attacked.Zip(attackedScores).Select(p => Invariant($"{RocCurve.Auc(Values(p.First, p.Second), shiftedValues):0.000}"));
            report.AppendLine($"| {name} | {string.Join(" | ", cells)} | {Invariant($"{RocCurve.Auc(shiftedValues, Values(clean, cleanScores)):0.000}")} |");
        }
        report.AppendLine();
        report.AppendLine("## Share of inputs with AdversarialEvidence (conformal p of the signal ≤ the adversarial level); in brackets: among successful attacks");
        report.AppendLine();
        report.AppendLine("| signal | level | clean, same population | clean, shifted | " + string.Join(" | ", attacked.Select(a => a.Name)) + " |");
        report.AppendLine("| --- | --- | --- | --- |" + string.Concat(attacked.Select(_ => " --- |")));
        foreach (var signal in new[] { AdversarialSignal.ClassGap, AdversarialSignal.LabelDisagreement })
        {
            foreach (double level in new[] { 0.01, 0.05 })
            {
                var evidence = new PerInputScorer(set, new PerInputScorerOptions { AdversarialSignal = signal, AdversarialLevel = level });
                var cells = attacked.Select(a =>
                {
                    var scores = Score(evidence, a, layers);
                    var successful = scores.Where((_, i) => a.Predicted[i] != a.TrueLabels[i]).ToArray();
                    return $"{Rate(scores, s => s.AdversarialEvidence)} ({Rate(successful, s => s.AdversarialEvidence)})";
                });
                report.AppendLine(Invariant($"| {signal} | {level} | {Rate(Score(evidence, clean, layers), s => s.AdversarialEvidence)} | {Rate(Score(evidence, shifted, layers), s => s.AdversarialEvidence)} | ") + string.Join(" | ", cells) + " |");
            }
        }
    }

    private static InputScore[] Score(PerInputScorer scorer, LabelledPool pool, string[] layers) =>
        scorer.ScoreWindow([.. layers.Select(l => pool.ByLayer[l])], [.. pool.Predicted.Select(p => (int?)p)]);

    private static string Auc(InputScore[] positives, InputScore[] negatives, Func<InputScore, double> score) =>
        Invariant($"{RocCurve.Auc([.. positives.Select(score)], [.. negatives.Select(score)]):0.000}");

    private static string Rate(InputScore[] scores, Func<InputScore, bool> predicate) =>
        scores.Length == 0 ? "–" : Invariant($"{scores.Count(predicate) / (double)scores.Length:0.000}");

    private static double Success(LabelledPool pool) => pool.Predicted.Where((p, i) => p != pool.TrueLabels[i]).Count() / (double)pool.Count;

    private static int[] Offset(int[] indices, int start) => [.. indices.Select(i => i + start)];

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
