using System.Numerics;

namespace Streaming.Detection;

/// <summary>
/// Kernel bandwidth by the median heuristic: σ = median pairwise Euclidean distance.
/// </summary>
public static class MedianHeuristic
{
    public const int DefaultMaxPoints = 1000;
    public const int DefaultSeed = 20_240_601;

    /// <param name="vectors">Row-major count × dimension values.</param>
    /// <param name="maxPoints">Pairs grow quadratically, so larger references are subsampled to this many points.</param>
    /// <param name="seed">Seed of the subsample, so calibration is reproducible.</param>
    public static double Bandwidth(ReadOnlySpan<float> vectors, int count, int dimension, int maxPoints = DefaultMaxPoints, int seed = DefaultSeed)
    {
        if (count < 2)
        {
            throw new ArgumentException($"The median heuristic needs at least 2 vectors, got {count}.", nameof(count));
        }
        if (vectors.Length != count * dimension)
        {
            throw new ArgumentException($"Expected {count}×{dimension} values, got {vectors.Length}.", nameof(vectors));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);

        int[] points = Subsample(count, maxPoints, seed);
        var distances = new double[(long)points.Length * (points.Length - 1) / 2];
        long next = 0;
        for (int a = 0; a < points.Length; a++)
        {
            var x = vectors.Slice(points[a] * dimension, dimension);
            for (int b = a + 1; b < points.Length; b++)
            {
                distances[next++] = Math.Sqrt(SquaredDistance(x, vectors.Slice(points[b] * dimension, dimension)));
            }
        }

        Array.Sort(distances);
        double median = Median(distances);
        if (median > 0)
        {
            return median;
        }

        // Over half the pairs coincide (e.g. dead ReLU units): fall back to the median of the
        // non-zero distances, which still reflects the scale of the points that do differ.
        int firstNonZero = Array.FindIndex(distances, d => d > 0);
        if (firstNonZero < 0)
        {
            throw new ArgumentException("All reference vectors are identical; no kernel bandwidth can be derived.", nameof(vectors));
        }
        return Median(distances.AsSpan(firstNonZero));
    }

    private static int[] Subsample(int count, int maxPoints, int seed)
    {
        var all = Enumerable.Range(0, count).ToArray();
        if (count <= maxPoints)
        {
            return all;
        }
        new Random(seed).Shuffle(all);
        return all[..maxPoints];
    }

    private static double Median(ReadOnlySpan<double> sorted)
    {
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }

    private static double SquaredDistance(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int i = 0;
        var sum = Vector<float>.Zero;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var diff = new Vector<float>(x[i..]) - new Vector<float>(y[i..]);
            sum += diff * diff;
        }
        double total = Vector.Sum(sum);
        for (; i < x.Length; i++)
        {
            double diff = x[i] - y[i];
            total += diff * diff;
        }
        return total;
    }
}
