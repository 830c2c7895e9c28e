using Streaming.Detection.Decision;
using Streaming.Detection.Scoring;
using Streaming.Lab.Evaluation;

namespace Streaming.UnitTests.Detection.Decision;

public sealed class LevelCountTestTests
{
    private const int Calibration = 2000;

    [Fact]
    public void PValue_EveryOrderOfCalibrationAndTestInputs_PValueIsExactlyUniform()
    {
        // n = 20 calibration and m = 5 test inputs, all C(25, 5) rank orders equally likely (clean,
        // exchangeable inputs). An exact p-value of a discrete statistic has P(p ≤ v) = v at every
        // value v it takes; enumerate every order to check it.
        const int n = 20, m = 5;
        var test = new LevelCountTest(n, [0.05, 0.15, 0.3]);
        var seen = new Dictionary<string, double>();
        var values = new List<double>();
        foreach (var positions in Combinations(n + m, m))
        {
            // Position 0 is the largest score; a test input's p-value is (1 + #calibration above it)/(n + 1).
            var pValues = positions.Select((position, rank) => (1.0 + position - rank) / (n + 1.0)).ToArray();
            var key = string.Join(',', pValues);
            if (!seen.TryGetValue(key, out var p)) seen[key] = p = test.PValue(pValues);
            values.Add(p);
        }

        foreach (var v in values.Distinct())
        {
            var share = values.Count(p => p <= v * (1 + 1e-12)) / (double)values.Count;
            Assert.Equal(v, share, 9);
        }
    }

    [Fact]
    public void PValue_CleanWindowsAgainstFreshCalibrationSplits_FalseRejectionRateAtMostAlpha()
    {
        // The whole procedure, calibration draw included: normal scores, every window gets conformal
        // p-values against its own fresh split, one layer's test at 0.05 and at 0.01.
        var random = new Random(73);
        const int windows = 3000, calibrationCount = 500;
        var test = new LevelCountTest(calibrationCount);
        int at5 = 0, at1 = 0;
        var calibration = new double[calibrationCount];
        for (var w = 0; w < windows; w++)
        {
            for (var i = 0; i < calibration.Length; i++) calibration[i] = Gaussian.Standard(random);
            Array.Sort(calibration);
            var p = test.PValue(Enumerable.Range(0, 100).Select(_ => ConformalPValue.Compute(calibration, Gaussian.Standard(random))).ToArray());
            if (p <= 0.05) at5++;
            if (p <= 0.01) at1++;
        }

        var five = WilsonInterval.Compute(at5, windows);
        var one = WilsonInterval.Compute(at1, windows);
        Assert.True(five.Lower <= 0.05, $"rate at 0.05: {at5 / (double)windows:P2} [{five.Lower:P2}, {five.Upper:P2}]");
        Assert.True(one.Lower <= 0.01, $"rate at 0.01: {at1 / (double)windows:P2} [{one.Lower:P2}, {one.Upper:P2}]");
    }

    [Fact]
    public void PValue_UniformPValuesGivenTheSplitWithCalibrationConfidence_FalseRejectionRateAtMostAlpha()
    {
        // Given a split whose shares are exactly j/(n + 1) (below their upper bounds), the
        // calibration-conditional law must not reject clean windows more often than alpha.
        var random = new Random(9);
        var test = new LevelCountTest(Calibration, calibrationConfidence: 0.95);
        const int windows = 4000;
        var rejections = 0;
        for (var w = 0; w < windows; w++)
        {
            var scores = Enumerable.Range(0, 100).Select(_ => Score(random, null)).ToList();
            if (test.PValue(scores) <= 0.05) rejections++;
        }

        var (lower, upper) = WilsonInterval.Compute(rejections, windows);
        Assert.True(lower <= 0.05, $"false-rejection rate {rejections / (double)windows:P2} [{lower:P2}, {upper:P2}]");
    }

    [Fact]
    public void PValue_ThreeInputsBeyondEveryCalibrationInputInOneLayer_Small()
    {
        // Three of 100 events beyond all 2,000 calibration inputs in the second layer (what PGD 0.3
        // does to conv2), ordinary elsewhere: the count at 0.01 on the fused p-values needed five.
        var random = new Random(5);
        var scores = Enumerable.Range(0, 100).Select(i => Score(random, i < 3 ? 1.0 / (Calibration + 1) : null)).ToList();

        var p = new LevelCountTest(Calibration).PValue(scores);

        Assert.True(p < 0.01, $"p = {p}");
    }

    [Fact]
    public void PValue_ManyInputsALittleOutInOneLayer_Small()
    {
        // 25 of 100 events at p = 0.03 in the second layer only (FGSM 0.1's pattern): the levels 0.05 and 0.1 see them.
        var random = new Random(6);
        var scores = Enumerable.Range(0, 100).Select(i => Score(random, i < 25 ? 0.03 : null)).ToList();

        var p = new LevelCountTest(Calibration).PValue(scores);

        Assert.True(p < 1e-4, $"p = {p}");
    }

    [Fact]
    public void PValue_PlantedInputs_LawOverCalibrationDrawsNotAboveTheBoundedLaw()
    {
        // The upper bounds on the shares only make clean counts look larger: the per-split law gives
        // a larger p-value to the same window.
        var random = new Random(7);
        var scores = Enumerable.Range(0, 100).Select(i => Score(random, i < 4 ? 1.0 / (Calibration + 1) : null)).ToList();

        var overDraws = new LevelCountTest(Calibration).PValue(scores);
        var givenSplit = new LevelCountTest(Calibration, calibrationConfidence: 0.95).PValue(scores);

        Assert.True(overDraws < givenSplit, $"{overDraws} vs {givenSplit}");
    }

    [Fact]
    public void PValue_EmptyWindow_One() => Assert.Equal(1.0, new LevelCountTest(Calibration).PValue(Array.Empty<InputScore>()));

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Constructor_LevelOutsideZeroOne_Throws(double level) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LevelCountTest(Calibration, [0.01, level]));

    [Fact]
    public void Levels_RoundedDownToTheGridAndDeduplicated()
    {
        var test = new LevelCountTest(99, [0.001, 0.005, 0.05]);

        // 0.001 and 0.005 both round to the smallest step 1/100.
        Assert.Equal([0.01, 0.05], test.Levels);
    }

    // Four layers of uniform p-values on the calibration grid; the second layer at `second` when given.
    private static InputScore Score(Random random, double? second)
    {
        double Grid() => Math.Ceiling(random.NextDouble() * (Calibration + 1)) / (Calibration + 1);
        double[] layers = [Grid(), second ?? Grid(), Grid(), Grid()];
        var fused = Math.Min(1.0, layers.Min() * layers.Length);
        return new InputScore([0, 0, 0, 0], layers, fused, 0, "conv1", null, null, null, null, null, false);
    }

    private static IEnumerable<int[]> Combinations(int n, int k)
    {
        var current = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return [.. current];
            int i = k - 1;
            while (i >= 0 && current[i] == n - k + i) i--;
            if (i < 0) yield break;
            current[i]++;
            for (int j = i + 1; j < k; j++) current[j] = current[j - 1] + 1;
        }
    }
}
