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
            for (int j = 0; j < x.Length; j++) x[j] = (float)Gaussian.Standard(random) + shift + (j == label % x.Length ? 4f : 0f);
            layers[0][i] = x;
            layers[1][i] = [.. Enumerable.Range(0, 4).Select(j => x[j] + 0.5f * x[j + 2] + 0.3f * (float)Gaussian.Standard(random))];
            layers[2][i] = [.. Enumerable.Range(0, 3).Select(j => x[j] * x[j] / 4f + 0.3f * (float)Gaussian.Standard(random))];
        }
        return (layers, labels);
    }

    public static ReferenceSet Reference(int referenceCount, int calibrationCount, int seed, int classes = 2) =>
        Calibrate(["input", "hidden", "square"], Source(referenceCount, seed, classes), Source(calibrationCount, seed + 1, classes));

    /// <summary>The reference set of model "synthetic" version "1" whose layer l is named <paramref name="names"/>[l].</summary>
    public static ReferenceSet Calibrate(string[] names, (float[][][] Layers, int[] Labels) reference, (float[][][] Layers, int[] Labels) calibration) =>
        ReferenceCalibrator.Create(
            "synthetic", "1",
            names.Select((n, l) => (n, l)).ToDictionary(p => p.n, p => reference.Layers[p.l]),
            reference.Labels,
            names.Select((n, l) => (n, l)).ToDictionary(p => p.n, p => calibration.Layers[p.l]),
            calibration.Labels,
            seed: 1, "synthetic", TimeProvider.System);

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
}
