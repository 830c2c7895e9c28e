using Streaming.Control.Workshop;
using Streaming.Detection;
using Streaming.Detection.Scoring;
using Streaming.Lab.Data;
using Streaming.Ml.Serving;
using Xunit.Abstractions;

namespace Streaming.IntegrationTests.EndToEnd;

/// <summary>
/// Issue 11, "p-values of clean inputs are uniform", on the trained small-cnn and the MNIST test set instead of
/// synthetic Gaussians: a seeded reference + calibration sample (as <c>control calibrate</c> and the score
/// evaluation draw it) and held-out clean images of the same population, scored by the production
/// <see cref="PerInputScorer"/>, checked with a Kolmogorov–Smirnov goodness-of-fit against Uniform(0, 1) at the
/// 1 % level. The seed is fixed, so a run is deterministic for a given model.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class CleanPValueUniformityTests(TrainedModelFixture model, ITestOutputHelper output)
{
    private const int ReferenceCount = 1000;
    private const int CalibrationCount = 1000;
    private const int HeldOutCount = 1000;
    private const ulong Seed = 11;
    private const double Alpha = 0.05;

    // Two-sample KS critical coefficient c(0.01) = sqrt(-ln(0.005) / 2). The tested p-values all share one
    // calibration split, so their empirical CDF differs from the uniform by the held-out sample's AND the
    // split's fluctuation (a p-value is the rank of a score among the calibration scores): the null law
    // of the distance is that of the two-sample statistic, bound c · sqrt(1/n + 1/n_cal), not c · sqrt(1/n).
    private const double KsCoefficient = 1.628;

    // 99 % normal quantile of the share test.
    private const double Z = 2.576;

    // Conformal p-values lie on the grid k / (n_cal + 1): against the continuous uniform CDF that adds at most
    // one grid step to the distance, whatever the sample.
    private static readonly double Critical = KsCoefficient * Math.Sqrt(1.0 / HeldOutCount + 1.0 / CalibrationCount) + 1.0 / (CalibrationCount + 1);

    [Fact]
    public void ScoreWindow_HeldOutCleanMnistImages_LayerAndFusedPValuesAreUniform()
    {
        var test = MnistDataset.Load(model.Paths.MnistData, MnistSplit.Test);
        var (reference, calibration) = CalibrationSample.Draw(test.Count, ReferenceCount, CalibrationCount, Seed);
        var heldOut = CalibrationSample.Remainder(test.Count, ReferenceCount, CalibrationCount, Seed)[..HeldOutCount];
        using var runner = ModelRunner.Load(model.Paths.DefaultModelDirectory);
        var scorer = new PerInputScorer(Calibrate(runner, test, reference, calibration));

        var scores = Score(scorer, runner, test, heldOut);

        var failures = new List<string>();
        for (int l = 0; l < scorer.Layers.Count; l++)
        {
            double distance = KsDistanceFromUniform([.. scores.Select(s => s.LayerPValues[l])]);
            output.WriteLine($"layer {scorer.Layers[l]}: KS distance {distance:F4} (critical {Critical:F4})");
            if (distance >= Critical) failures.Add($"layer {scorer.Layers[l]}: KS distance {distance:F4} ≥ {Critical:F4}");
        }
        double fusedDistance = KsDistanceFromUniform([.. scores.Select(s => s.FusedPValue)]);
        output.WriteLine($"fused: KS distance {fusedDistance:F4} (critical {Critical:F4})");
        if (fusedDistance >= Critical) failures.Add($"fused: KS distance {fusedDistance:F4} ≥ {Critical:F4}");
        Assert.True(failures.Count == 0, string.Join("; ", failures));

        // The share of clean inputs at fused p ≤ α: binomial in the held-out sample around a rate that itself
        // varies with the calibration split (the α-quantile of n_cal scores: variance α(1−α)/(n_cal + 2)).
        double share = scores.Count(s => s.FusedPValue <= Alpha) / (double)HeldOutCount;
        double half = Z * Math.Sqrt(Alpha * (1 - Alpha) * (1.0 / HeldOutCount + 1.0 / (CalibrationCount + 2)));
        output.WriteLine($"share of fused p ≤ {Alpha}: {share:F3} (accepted {Alpha - half:F4}–{Alpha + half:F4})");
        Assert.InRange(share, Alpha - half, Alpha + half);
    }

    [Fact]
    public void ScoreWindow_ImagesOfAnotherWriterPopulation_SomeLayerFailsTheUniformityCheck()
    {
        // The check above must be able to fail on this model and data: MNIST's test images 0-4,999 and 5,000-9,999
        // are two writer populations. Calibrated on the first, images of the second are not exchangeable with the
        // calibration split, and the same KS bound rejects the uniformity of their p-values.
        var test = MnistDataset.Load(model.Paths.MnistData, MnistSplit.Test);
        const int population = 5000;
        var (reference, calibration) = CalibrationSample.Draw(population, ReferenceCount, CalibrationCount, Seed);
        var (other, _) = CalibrationSample.Draw(population, HeldOutCount, 1, Seed + 1);
        using var runner = ModelRunner.Load(model.Paths.DefaultModelDirectory);
        var scorer = new PerInputScorer(Calibrate(runner, test, reference, calibration));

        var scores = Score(scorer, runner, test, [.. other.Select(i => population + i)]);

        var distances = Enumerable.Range(0, scorer.Layers.Count).Select(l => KsDistanceFromUniform([.. scores.Select(s => s.LayerPValues[l])])).ToArray();
        output.WriteLine($"KS distances of the other population: {string.Join(", ", scorer.Layers.Zip(distances, (l, d) => $"{l} {d:F4}"))} (critical {Critical:F4})");
        Assert.True(distances.Max() >= Critical, $"largest layer KS distance {distances.Max():F4} < {Critical:F4}: the check cannot tell the populations apart");
    }

    private static ReferenceSet Calibrate(ModelRunner runner, MnistDataset test, int[] reference, int[] calibration)
    {
        var (referenceByLayer, referencePredicted) = ModelWorkshop.Capture(runner, test, reference);
        var (calibrationByLayer, calibrationPredicted) = ModelWorkshop.Capture(runner, test, calibration);
        return ReferenceCalibrator.Create(runner.Manifest.Name, runner.Manifest.Version,
            referenceByLayer, referencePredicted, calibrationByLayer, calibrationPredicted, Seed, "mnist test, uniformity test", TimeProvider.System);
    }

    private static InputScore[] Score(PerInputScorer scorer, ModelRunner runner, MnistDataset test, int[] images)
    {
        var (byLayer, predicted) = ModelWorkshop.Capture(runner, test, images);
        return scorer.ScoreWindow([.. scorer.Layers.Select(l => byLayer[l])], [.. predicted.Select(p => (int?)p)]);
    }

    /// <summary>sup |F_n(x) − x| of the sample's empirical CDF against Uniform(0, 1), both one-sided limits.</summary>
    private static double KsDistanceFromUniform(double[] sample)
    {
        double[] sorted = [.. sample.Order()];
        double distance = 0;
        for (int i = 0; i < sorted.Length; i++)
            distance = Math.Max(distance, Math.Max((i + 1.0) / sorted.Length - sorted[i], sorted[i] - (double)i / sorted.Length));
        return distance;
    }
}
