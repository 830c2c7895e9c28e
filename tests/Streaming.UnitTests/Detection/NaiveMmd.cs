namespace Streaming.UnitTests.Detection;

/// <summary>Slow, obviously-correct reference: double precision and explicit loops.</summary>
internal static class NaiveMmd
{
    public static double Kernel(float[] x, float[] y, double bandwidth)
    {
        double squared = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double diff = (double)x[i] - y[i];
            squared += diff * diff;
        }
        return Math.Exp(-squared / (2 * bandwidth * bandwidth));
    }

    /// <summary>Unbiased MMD²: within-sample sums exclude i = j.</summary>
    public static double UnbiasedMmd2(IReadOnlyList<float[]> x, IReadOnlyList<float[]> y, double bandwidth)
    {
        int n = x.Count;
        int m = y.Count;
        double xx = 0, yy = 0, xy = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (i != j)
                {
                    xx += Kernel(x[i], x[j], bandwidth);
                }
            }
        }
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                if (i != j)
                {
                    yy += Kernel(y[i], y[j], bandwidth);
                }
            }
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                xy += Kernel(x[i], y[j], bandwidth);
            }
        }
        return xx / (n * (n - 1.0)) + yy / (m * (m - 1.0)) - 2 * xy / ((double)n * m);
    }
}
