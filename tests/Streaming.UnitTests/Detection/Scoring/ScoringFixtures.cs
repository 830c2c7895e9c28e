using Streaming.Detection;
using Streaming.Detection.Scoring;

namespace Streaming.UnitTests.Detection.Scoring;

/// <summary>Synthetic clean sources for per-input scoring: labelled Gaussian clusters seen through dependent layers.</summary>
internal static class ScoringFixtures
{
    /// <summary>
    /// Inputs of <paramref name="classes"/> classes (cluster centres 4 apart on the first axes) seen
    /// through three layers: the input, a noisy linear map of it, and its first half squared plus noise
    /// — strongly dependent, as a network's layers are.
    /// </summary>
    public static (float[][][] Layers, int[] Labels) Source(int count, int seed, int classes = 2, float shift = 0f)
    {
        var random = new Random(seed);
        var layers = new float[3][][];
        for (int l = 0; l < 3; l++) layers[l] = new float[count][];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = random.Next(classes);
            labels[i] = label;
            var x = new float[6];
            for (int j = 0; j < x.Length; j++) x[j] = (float)Normal(random) + shift + (j == label % x.Length ? 4f : 0f);
            layers[0][i] = x;
            layers[1][i] = [.. Enumerable.Range(0, 4).Select(j => x[j] + 0.5f * x[j + 2] + 0.3f * (float)Normal(random))];
            layers[2][i] = [.. Enumerable.Range(0, 3).Select(j => x[j] * x[j] / 4f + 0.3f * (float)Normal(random))];
        }
        return (layers, labels);
    }

    public static ReferenceSet Reference(int referenceCount, int calibrationCount, int seed, int classes = 2)
    {
        var (reference, referenceLabels) = Source(referenceCount, seed, classes);
        var (calibration, calibrationLabels) = Source(calibrationCount, seed + 1, classes);
        string[] names = ["input", "hidden", "square"];
        return ReferenceCalibrator.Create(
            "synthetic", "1",
            names.Select((n, l) => (n, l)).ToDictionary(p => p.n, p => reference[p.l]),
            referenceLabels,
            names.Select((n, l) => (n, l)).ToDictionary(p => p.n, p => calibration[p.l]),
            calibrationLabels,
            seed: 1, "synthetic", TimeProvider.System);
    }

    /// <summary>Row i of every layer.</summary>
    public static float[][] Input(float[][][] layers, int i) => [.. layers.Select(l => l[i])];

    /// <summary>Kolmogorov–Smirnov distance of the sample's empirical CDF from Uniform(0, 1).</summary>
    public static double KsDistanceFromUniform(IReadOnlyList<double> sample)
    {
        double[] sorted = [.. sample.Order()];
        double distance = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            distance = Math.Max(distance, Math.Max((i + 1.0) / sorted.Length - sorted[i], sorted[i] - (double)i / sorted.Length));
        }
        return distance;
    }

    private static double Normal(Random random)
    {
        double u = 1.0 - random.NextDouble();
        double v = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }
}
