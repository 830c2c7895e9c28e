using Streaming.Detection;
using Streaming.Detection.Scoring;
using Streaming.Lab.Data;
using Streaming.Lab.Evaluation;
using Streaming.Ml.Serving;
using static TorchSharp.torch;
using static Streaming.Control.Evaluation.ActivationPools;

namespace Streaming.Control.Evaluation;

/// <summary>
/// Measures the layerwise MMD test the way the published per-layer results do: K tests of n clean
/// samples against n samples of a second set (clean, attacked or a mix), each layer at level alpha,
/// and all layers combined with Bonferroni. Activations are computed once per pool; every test only
/// subsamples them, so the whole run takes minutes on two cores.
/// </summary>
public sealed class DetectionEvaluator(EvaluationOptions options, TextWriter log)
{
    public const string Combined = "combined";

    public IReadOnlyList<string> Layers { get; private set; } = [];

    /// <summary>Per-input ROC AUC per attack (filled by <see cref="Run"/>).</summary>
    public IReadOnlyList<PerInputAucResult> PerInput { get; private set; } = [];

    public IReadOnlyList<ConfigurationResult> Run(string modelDirectory, MnistDataset test)
    {
        int pool = options.PoolSize;
        if (4 * pool > test.Count)
            throw new ArgumentException($"Four pools of {pool} images (reference, clean, attacked, calibration of per-input scores) need {4 * pool} test images; the data set has {test.Count}.");
        if (options.SampleSize > pool)
            throw new ArgumentException($"Sample size {options.SampleSize} exceeds the pool size {pool}.");

        using var runner = ModelRunner.Load(modelDirectory);
        Layers = [.. runner.Layers.Select(l => l.Name)];
        var cleanReference = Activations(runner, Slice(test, 0, pool), pool);
        var cleanOther = Activations(runner, Slice(test, pool, pool), pool);
        var bandwidths = Layers.ToDictionary(l => l, l => MedianHeuristic.Bandwidth(Flatten(cleanReference[l]), pool, cleanReference[l][0].Length));

        var attacked = new Dictionary<(string, double), Dictionary<string, float[][]>>();
        var attackedPools = new Dictionary<(string, double), LabelledPool>();
        foreach (var attack in options.Attacks.Append(options.ShareAttack).Distinct())
        {
            log.WriteLine($"Generating {pool} {attack.Item1} images (strength {attack.Item2}) and their activations …");
            var pixels = Attack(modelDirectory, test, 2 * pool, pool, attack);
            attackedPools[attack] = LabelledPool.Capture($"{attack.Item1} {attack.Item2}", runner, MnistDataset.FromArrays(pixels, test.Labels[(2 * pool)..(3 * pool)]));
            attacked[attack] = attackedPools[attack].ByLayer.ToDictionary();
        }

        PerInput = PerInputAuc(runner, test, attackedPools);

        var results = new List<ConfigurationResult>
        {
            Evaluate("clean vs clean", "none", 0, 0, cleanReference, bandwidths, cleanOther, null),
        };
        foreach (var attack in options.Attacks)
        {
            results.Add(Evaluate($"{attack.Attack} {attack.Strength}", attack.Attack, attack.Strength, 1, cleanReference, bandwidths, cleanOther, attacked[attack]));
        }
        foreach (double share in options.Shares)
        {
            var (name, strength) = options.ShareAttack;
            results.Add(Evaluate(FormattableString.Invariant($"{name} {strength}, {share * 100:0}% attacked"), name, strength, share, cleanReference, bandwidths, cleanOther, attacked[options.ShareAttack]));
        }
        return results;
    }

    private ConfigurationResult Evaluate(
        string name, string attack, double strength, double share,
        Dictionary<string, float[][]> reference, Dictionary<string, double> bandwidths,
        Dictionary<string, float[][]> cleanOther, Dictionary<string, float[][]>? attackedPool)
    {
        log.WriteLine($"Testing {name}: {options.Tests} tests …");
        int n = options.SampleSize;
        int attackedCount = (int)Math.Round(share * n);
        var rejections = Layers.Append(Combined).ToDictionary(l => l, _ => 0);
        var statistics = Layers.Append(Combined).ToDictionary(l => l, _ => new double[options.Tests]);
        var test = new MmdPermutationTest(new MmdTestOptions
        {
            Permutations = options.Permutations,
            BandwidthScales = options.MultiBandwidth ? KernelBandwidths.Multi : KernelBandwidths.Single,
        });

        for (int k = 0; k < options.Tests; k++)
        {
            // Same subsamples and permutations for test k of every configuration: a paired design.
            var random = new Random(unchecked((int)options.Seed * 7919 + k));
            int[] first = ActivationPools.Choose(random, options.PoolSize, n);
            int[] clean = ActivationPools.Choose(random, options.PoolSize, n - attackedCount);
            int[] adversarial = ActivationPools.Choose(random, options.PoolSize, attackedCount);
            var pValues = new double[Layers.Count];
            for (int l = 0; l < Layers.Count; l++)
            {
                string layer = Layers[l];
                var firstVectors = first.Select(i => reference[layer][i]).ToArray();
                var second = clean.Select(i => cleanOther[layer][i])
                    .Concat(adversarial.Select(i => attackedPool![layer][i]))
                    .ToArray();
                using var device = DeviceReference.Upload(
                    new LayerReference(layer, n, firstVectors[0].Length, Flatten(firstVectors), bandwidths[layer]), CPU, test.Options.BandwidthScales);
                var result = test.Run(device, second, seed: options.Seed * 1_000_003UL + (ulong)(k * 31 + l));
                pValues[l] = result.PValue;
                statistics[layer][k] = result.Mmd2;
                if (result.PValue < options.Alpha)
                    rejections[layer]++;
            }
            double combined = MultipleTesting.Bonferroni(pValues);
            statistics[Combined][k] = -combined;
            if (combined < options.Alpha)
                rejections[Combined]++;
        }
        return new ConfigurationResult(name, attack, strength, share, rejections, options.Tests, statistics);
    }

    /// <summary>
    /// Per-input scores (k-NN distance, conformal p-values, Bonferroni-fused) with the reference pool as
    /// reference and a fourth pool (images 3·pool..4·pool) as calibration split; the clean second pool
    /// gives the negatives, each attacked pool the positives.
    /// </summary>
    private List<PerInputAucResult> PerInputAuc(ModelRunner runner, MnistDataset test, Dictionary<(string, double), LabelledPool> attacked)
    {
        int size = options.PoolSize;
        log.WriteLine("Per-input scores …");
        var reference = LabelledPool.Capture("reference", runner, LabelledPool.Subset(test, [.. Enumerable.Range(0, size)]));
        var calibration = LabelledPool.Capture("calibration", runner, LabelledPool.Subset(test, [.. Enumerable.Range(3 * size, size)]));
        var clean = LabelledPool.Capture("clean", runner, LabelledPool.Subset(test, [.. Enumerable.Range(size, size)]));
        var set = ReferenceCalibrator.Create(runner.Manifest.Name, runner.Manifest.Version, reference.ByLayer.ToDictionary(), reference.Predicted,
            calibration.ByLayer.ToDictionary(), calibration.Predicted, options.Seed, "evaluate", TimeProvider.System);
        var scorer = new PerInputScorer(set);
        var cleanScores = scorer.ScoreWindow([.. Layers.Select(l => clean.ByLayer[l])], [.. clean.Predicted.Select(p => (int?)p)]);
        var results = new List<PerInputAucResult>();
        foreach (var attack in options.Attacks.Append(options.ShareAttack).Distinct())
        {
            var pool = attacked[attack];
            var scores = scorer.ScoreWindow([.. Layers.Select(l => pool.ByLayer[l])], [.. pool.Predicted.Select(p => (int?)p)]);
            var layerAuc = Layers.Select((l, i) => (l, RocCurve.Auc([.. scores.Select(s => s.LayerScores[i])], [.. cleanScores.Select(s => s.LayerScores[i])])))
                .ToDictionary(p => p.l, p => p.Item2);
            double fused = RocCurve.Auc([.. scores.Select(s => -s.FusedPValue)], [.. cleanScores.Select(s => -s.FusedPValue)]);
            results.Add(new PerInputAucResult(attack.Item1, attack.Item2, layerAuc, fused,
                scores.Count(s => s.FusedPValue <= options.Alpha) / (double)scores.Length,
                cleanScores.Count(s => s.FusedPValue <= options.Alpha) / (double)cleanScores.Length));
        }
        return results;
    }
}
