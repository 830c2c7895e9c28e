using Streaming.Detection;
using Streaming.UnitTests.Detection.Scoring;

namespace Streaming.UnitTests.Detection.Backends;

/// <summary>
/// Synthetic activations of the small-cnn's layer widths (32, 64, 128 and 10 components, 10 classes)
/// for the device backends' tests: a reference of 1,000 inputs with a calibration split of 1,000.
/// </summary>
internal static class RealShapedData
{
    public const int Classes = 10;
    public const int ReferenceSeed = 91;
    public static readonly int[] Dimensions = [32, 64, 128, 10];

    /// <summary>Built once: calibrating and the scan's backgrounds over it are the slow part of these tests.</summary>
    public static readonly ReferenceSet Set = RealShapedReference(1000, 1000, ReferenceSeed);

    /// <summary>
    /// Labelled inputs of 10 classes (a latent of 16 components, class c raised by 3 on axis c) seen
    /// through four layers of the small-cnn's widths: tanh of a random linear map plus noise, the last a linear one (logits).
    /// </summary>
    public static (float[][][] Layers, int[] Labels) Source(int count, int seed, float shift = 0f)
    {
        var maps = new Random(7);
        var weights = Dimensions.Select(d => Enumerable.Range(0, d * 16).Select(_ => (float)(Gaussian.Standard(maps) / 4)).ToArray()).ToArray();
        var random = new Random(seed);
        var layers = Dimensions.Select(_ => new float[count][]).ToArray();
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = random.Next(Classes);
            labels[i] = label;
            var z = Enumerable.Range(0, 16).Select(j => (float)Gaussian.Standard(random) + shift + (j == label ? 3f : 0f)).ToArray();
            for (int l = 0; l < Dimensions.Length; l++)
            {
                var row = new float[Dimensions[l]];
                for (int a = 0; a < row.Length; a++)
                {
                    float sum = 0f;
                    for (int j = 0; j < 16; j++) sum += weights[l][a * 16 + j] * z[j];
                    row[a] = (l == Dimensions.Length - 1 ? sum : MathF.Tanh(sum)) + 0.1f * (float)Gaussian.Standard(random);
                }
                layers[l][i] = row;
            }
        }
        return (layers, labels);
    }

    public static ReferenceSet RealShapedReference(int referenceCount, int calibrationCount, int seed) =>
        ScoringFixtures.Calibrate(["l0", "l1", "l2", "l3"], Source(referenceCount, seed), Source(calibrationCount, seed + 1));

    /// <summary>
    /// Fresh clean events; every fifth shifted far out, every ninth a copy of a calibration input (its
    /// score ties with a calibration score), every seventh labelled one class off, every eleventh without a class.
    /// </summary>
    public static (float[][][] Layers, int?[] Predicted) Events(int count, int seed)
    {
        var (clean, labels) = Source(count, seed);
        var (shifted, _) = Source(count, seed + 1, shift: 1.5f);
        var (calibration, calibrationLabels) = Source(count, ReferenceSeed + 1);
        for (int i = 8; i < count; i += 9) labels[i] = calibrationLabels[i];
        var layers = Dimensions.Select((_, l) => Enumerable.Range(0, count)
            .Select(i => i % 9 == 8 ? calibration[l][i] : i % 5 == 4 ? shifted[l][i] : clean[l][i]).ToArray()).ToArray();
        var predicted = Enumerable.Range(0, count).Select(i => i % 11 == 10 ? null : (int?)(i % 7 == 6 ? (labels[i] + 1) % Classes : labels[i])).ToArray();
        return (layers, predicted);
    }
}
