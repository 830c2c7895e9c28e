namespace Streaming.Detection.Scanning;

/// <summary>
/// A window's p-values reduced to threshold levels: entry (event i, node j) is the index of the
/// smallest threshold α_t with p_ij ≤ α_t (so p_ij ≤ α_t exactly when level ≤ t), or
/// <see cref="Thresholds"/> when p_ij exceeds every threshold. Row-major, events × nodes.
/// </summary>
internal sealed class LevelMatrix
{
    public LevelMatrix(byte[] levels, int events, int nodes, double[] alphas)
    {
        if (levels.Length != events * nodes)
        {
            throw new ArgumentException($"{events}×{nodes} levels expected, got {levels.Length}.", nameof(levels));
        }
        Levels = levels;
        Events = events;
        Nodes = nodes;
        Alphas = alphas;
    }

    public byte[] Levels { get; }

    public int Events { get; }

    public int Nodes { get; }

    /// <summary>The thresholds α_t, ascending.</summary>
    public double[] Alphas { get; }

    public int Thresholds => Alphas.Length;

    /// <summary>Levels of given p-values (row-major events × nodes) against <paramref name="alphas"/>; for tests and tools.</summary>
    public static LevelMatrix FromPValues(double[] pValues, int events, int nodes, double[] alphas)
    {
        if (alphas.Length > byte.MaxValue)
        {
            throw new ArgumentException($"At most {byte.MaxValue} thresholds, got {alphas.Length}.", nameof(alphas));
        }
        var levels = new byte[pValues.Length];
        for (int i = 0; i < pValues.Length; i++)
        {
            int index = Array.BinarySearch(alphas, pValues[i]);
            levels[i] = (byte)(index >= 0 ? index : ~index);
        }
        return new LevelMatrix(levels, events, nodes, alphas);
    }
}
