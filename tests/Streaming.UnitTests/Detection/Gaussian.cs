namespace Streaming.UnitTests.Detection;

/// <summary>Seeded normal samples for tests.</summary>
internal static class Gaussian
{
    public static float[][] Samples(int count, int dimension, int seed, float shift = 0f)
    {
        var random = new Random(seed);
        var rows = new float[count][];
        for (int i = 0; i < count; i++)
        {
            rows[i] = new float[dimension];
            for (int j = 0; j < dimension; j++)
            {
                rows[i][j] = (float)Standard(random) + shift;
            }
        }
        return rows;
    }

    public static float[] Flatten(float[][] rows) => [.. rows.SelectMany(r => r)];

    /// <summary>One standard normal draw from <paramref name="random"/>.</summary>
    public static double Standard(Random random)
    {
        // Box–Muller; 1 - NextDouble() avoids log(0).
        double u = 1.0 - random.NextDouble();
        double v = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }
}
