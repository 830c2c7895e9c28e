using Streaming.Detection;

namespace Streaming.UnitTests.Detection;

public class MmdNullCalibrationTests
{
    [Fact]
    public void Run_CleanVersusClean_PValuesAreRoughlyUniform()
    {
        const int trials = 200;
        var test = new MmdPermutationTest(new MmdTestOptions { Permutations = 200 });
        var pValues = new double[trials];
        for (int t = 0; t < trials; t++)
        {
            // Fresh reference and window from the same distribution in every trial.
            using var reference = DeviceReference.Upload(
                DetectionFixtures.Layer("l", Gaussian.Samples(60, 5, 1000 + t)), DetectionFixtures.Device);
            pValues[t] = test.Run(reference, Gaussian.Samples(30, 5, 5000 + t), (ulong)t).PValue;
        }

        double ks = KolmogorovSmirnovAgainstUniform(pValues);
        double criticalAt1Percent = 1.628 / Math.Sqrt(trials);
        double rejectionRate = pValues.Count(p => p < 0.05) / (double)trials;

        Assert.True(ks < criticalAt1Percent, $"KS statistic {ks:F3} ≥ {criticalAt1Percent:F3}");
        Assert.InRange(rejectionRate, 0.01, 0.10);
        Assert.All(pValues, p => Assert.True(p > 0));
    }

    private static double KolmogorovSmirnovAgainstUniform(double[] values)
    {
        double[] sorted = [.. values.Order()];
        double worst = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            worst = Math.Max(worst, Math.Max((i + 1.0) / sorted.Length - sorted[i], sorted[i] - (double)i / sorted.Length));
        }
        return worst;
    }
}
