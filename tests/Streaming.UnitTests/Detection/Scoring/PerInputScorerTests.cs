using Streaming.Detection;
using Streaming.Detection.Scoring;
using static Streaming.UnitTests.Detection.Scoring.ScoringFixtures;

namespace Streaming.UnitTests.Detection.Scoring;

public sealed class PerInputScorerTests
{
    [Theory]
    [InlineData(NonconformityMeasure.KnnDistance)]
    [InlineData(NonconformityMeasure.ClassMahalanobis)]
    public void Score_HeldOutCleanInputs_PValuesAreUniform(NonconformityMeasure measure)
    {
        const int calibration = 2000, tested = 500;
        var scorer = new PerInputScorer(Reference(500, calibration, seed: 11), new PerInputScorerOptions { Measure = measure });
        var (layers, labels) = Source(tested, seed: 99);

        var scores = Enumerable.Range(0, tested).Select(i => scorer.Score(Input(layers, i), labels[i])).ToArray();

        // Test p-values share one calibration split, so their CDF is uniform only up to the split's own
        // fluctuation: the right yardstick is the two-sample KS bound, c(0.01) · sqrt(1/n + 1/n_cal).
        double critical = 1.628 * Math.Sqrt(1.0 / tested + 1.0 / calibration);
        for (int l = 0; l < scorer.Layers.Count; l++)
        {
            double distance = KsDistanceFromUniform([.. scores.Select(s => s.LayerPValues[l])]);
            Assert.True(distance < critical, $"layer {scorer.Layers[l]}: KS distance {distance:F3} ≥ {critical:F3}");
        }
    }

    [Theory]
    [InlineData(LayerFusion.Bonferroni)]
    [InlineData(LayerFusion.Conformal)]
    public void Score_DependentLayers_FusedFalseRejectionsStayAtMostAlpha(LayerFusion fusion)
    {
        const double alpha = 0.05;
        var scorer = new PerInputScorer(Reference(500, 1000, seed: 21), new PerInputScorerOptions { Fusion = fusion });
        var (layers, labels) = Source(3000, seed: 77);

        var scores = Enumerable.Range(0, 3000).Select(i => scorer.Score(Input(layers, i), labels[i])).ToArray();

        int fusedRejections = scores.Count(s => s.FusedPValue <= alpha);
        // The layers are dependent: Fisher's combination, which assumes independence, over-rejects on
        // the same p-values, so this data can tell a valid fusion from an invalid one.
        double fisherRate = scores.Count(s => MultipleTesting.Fisher([.. s.LayerPValues]) <= alpha) / 3000.0;
        Assert.True(fisherRate > alpha, $"Fisher rejection rate {fisherRate:F3}: the layers are not dependent enough to test validity");
        if (fusion == LayerFusion.Bonferroni)
        {
            Assert.True(fusedRejections / 3000.0 <= alpha, $"Bonferroni-fused rejection rate {fusedRejections / 3000.0:F3} > {alpha}");
            return;
        }

        // The conformal fusion is exact, not conservative: its rate is alpha up to sampling noise.
        var (lower, _) = Streaming.Lab.Evaluation.WilsonInterval.Compute(fusedRejections, 3000);
        Assert.True(lower <= alpha, $"conformally fused rejection rate {fusedRejections / 3000.0:F3}, Wilson lower bound {lower:F3} > {alpha}");
    }

    [Fact]
    public void Score_ConformalFusion_CleanFusedPValuesAreUniform()
    {
        const int tested = 2000, calibration = 1000;
        var scorer = new PerInputScorer(Reference(500, calibration, seed: 23));
        var (layers, labels) = Source(tested, seed: 79);

        var fused = Enumerable.Range(0, tested).Select(i => scorer.Score(Input(layers, i), labels[i]).FusedPValue).ToArray();

        double critical = 1.628 * Math.Sqrt(1.0 / tested + 1.0 / calibration);
        double distance = KsDistanceFromUniform(fused);
        Assert.True(distance < critical, $"fused p-values: KS distance {distance:F3} ≥ {critical:F3}");
    }

    [Fact]
    public void Score_OutlierInEveryLayer_ConformalFusionAtMostBonferroni()
    {
        var reference = Reference(500, 1000, seed: 33);
        var conformal = new PerInputScorer(reference);
        var bonferroni = new PerInputScorer(reference, new PerInputScorerOptions { Fusion = LayerFusion.Bonferroni });
        var (outliers, labels) = Source(10, seed: 8, shift: 5f);

        for (var i = 0; i < 10; i++)
        {
            var fused = conformal.Score(Input(outliers, i), labels[i]).FusedPValue;
            Assert.True(fused <= bonferroni.Score(Input(outliers, i), labels[i]).FusedPValue + 1e-12);
            Assert.True(fused <= conformal.Layers.Count * ConformalPValue.Smallest(conformal.CalibrationCount) + 1e-12, $"fused p = {fused}");
        }
    }

    [Theory]
    [InlineData(NonconformityMeasure.KnnDistance)]
    [InlineData(NonconformityMeasure.ClassMahalanobis)]
    public void Score_PlantedOutliers_GetSmallPValues(NonconformityMeasure measure)
    {
        var scorer = new PerInputScorer(Reference(500, 1000, seed: 31), new PerInputScorerOptions { Measure = measure });
        var (clean, cleanLabels) = Source(200, seed: 5);
        var (outliers, outlierLabels) = Source(20, seed: 6, shift: 5f);

        var cleanFused = Enumerable.Range(0, 200).Select(i => scorer.Score(Input(clean, i), cleanLabels[i]).FusedPValue).ToArray();
        var outlierScores = Enumerable.Range(0, 20).Select(i => scorer.Score(Input(outliers, i), outlierLabels[i])).ToArray();

        double smallest = ConformalPValue.Smallest(scorer.CalibrationCount);
        Assert.All(outlierScores, s => Assert.True(s.FusedPValue <= 0.01, $"planted outlier fused p = {s.FusedPValue}"));
        Assert.All(outlierScores, s => Assert.Equal(smallest, s.LayerPValues[s.SmallestLayer]));
        Assert.True(cleanFused.Count(p => p <= 0.01) <= 6, "clean inputs should rarely reach 0.01");
    }

    [Theory]
    [InlineData(AdversarialSignal.ClassGap)]
    [InlineData(AdversarialSignal.LabelDisagreement)]
    public void Score_InputPredictedAsAnotherClassThanItsNeighbours_HasAdversarialEvidence(AdversarialSignal signal)
    {
        var scorer = new PerInputScorer(Reference(600, 1000, seed: 41), new PerInputScorerOptions { AdversarialSignal = signal, AdversarialLevel = 0.01 });
        var (layers, labels) = Source(100, seed: 8);

        var honest = Enumerable.Range(0, 100).Select(i => scorer.Score(Input(layers, i), labels[i])).ToArray();
        // The same inputs with a flipped prediction: what an adversarial input looks like to the layers.
        var flipped = Enumerable.Range(0, 100).Select(i => scorer.Score(Input(layers, i), 1 - labels[i])).ToArray();

        Assert.True(honest.Count(s => s.AdversarialEvidence) <= 5, $"{honest.Count(s => s.AdversarialEvidence)} of 100 clean inputs flagged adversarial");
        Assert.True(flipped.Count(s => s.AdversarialEvidence) >= 95, $"only {flipped.Count(s => s.AdversarialEvidence)} of 100 flipped inputs flagged adversarial");
        Assert.All(flipped, s => Assert.True(s.LabelDisagreement > 0.5));
        Assert.All(flipped, s => Assert.True(s.ClassGap > 0));
        Assert.True(honest.Count(s => s.ClassGap == 0) >= 90, "clean inputs sit nearest to their own class");
    }

    [Fact]
    public void Score_NoPredictedClass_HasNoLabelEvidence()
    {
        var scorer = new PerInputScorer(Reference(200, 200, seed: 51));
        var (layers, _) = Source(1, seed: 9);

        var score = scorer.Score(Input(layers, 0), predictedClass: null);

        Assert.Null(score.LabelDisagreement);
        Assert.Null(score.ClassGap);
        Assert.Null(score.AdversarialPValue);
        Assert.False(score.AdversarialEvidence);
        Assert.InRange(score.FusedPValue, 0.0, 1.0);
    }

    [Fact]
    public void ScoreWindow_SameAsScoringEachEvent()
    {
        var scorer = new PerInputScorer(Reference(300, 300, seed: 61));
        var (layers, labels) = Source(40, seed: 10);

        var window = scorer.ScoreWindow(layers, [.. labels.Select(l => (int?)l)]);

        for (int i = 0; i < 40; i++)
        {
            var single = scorer.Score(Input(layers, i), labels[i]);
            Assert.Equal(single.LayerPValues, window[i].LayerPValues);
            Assert.Equal(single.FusedPValue, window[i].FusedPValue);
            Assert.Equal(single.AdversarialPValue, window[i].AdversarialPValue);
        }
    }

    [Fact]
    public void Constructor_ReferenceWithoutCalibration_ThrowsNamingCalibrateCommand()
    {
        var reference = Reference(100, 50, seed: 71) with { Calibration = null, FileFormatVersion = 1 };

        var error = Assert.Throws<MissingCalibrationException>(() => new PerInputScorer(reference));

        Assert.Contains("control calibrate", error.Message);
        Assert.Contains("v1", error.Message);
    }

    [Fact]
    public void Score_NonFiniteComponent_ThrowsNamingLayer()
    {
        var scorer = new PerInputScorer(Reference(100, 50, seed: 81));
        var (layers, labels) = Source(1, seed: 12);
        var input = Input(layers, 0);
        input[1] = [.. input[1]];
        input[1][2] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => scorer.Score(input, labels[0]));

        Assert.Contains("hidden", error.Message);
    }
}
