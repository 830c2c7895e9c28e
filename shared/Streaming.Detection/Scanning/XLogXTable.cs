namespace Streaming.Detection.Scanning;

/// <summary>
/// k·ln k for integers k (0 at k = 0), shared by every scan and grown on demand. With it the
/// Berk–Jones score of integer counts needs no logarithm per evaluation:
/// N·KL(b/N ‖ α) = b ln b + (N−b) ln(N−b) − N ln N − b ln α − (N−b) ln(1−α).
/// </summary>
internal static class XLogXTable
{
    private static readonly Lock Gate = new();
    private static volatile double[] _values = Build(1 << 12);

    /// <summary>A table holding at least indices 0..<paramref name="largest"/>.</summary>
    public static double[] AtLeast(int largest)
    {
        var values = _values;
        if (values.Length > largest)
        {
            return values;
        }
        lock (Gate)
        {
            if (_values.Length <= largest)
            {
                _values = Build((int)Math.Min(int.MaxValue / 2, Math.Max(2L * _values.Length, largest + 1L)));
            }
            return _values;
        }
    }

    private static double[] Build(int length)
    {
        var values = new double[length];
        for (int k = 1; k < length; k++)
        {
            values[k] = k * Math.Log(k);
        }
        return values;
    }
}
