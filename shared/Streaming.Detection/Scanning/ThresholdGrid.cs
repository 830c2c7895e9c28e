namespace Streaming.Detection.Scanning;

/// <summary>
/// The thresholds α the scan evaluates, fixed per scanner: attainable empirical p-values up to
/// α_max (for every layer's background size and the tail), thinned to at most the configured number
/// with log-spaced ranks. Fixed rather than taken from each window's own p-values, so the statistic
/// is the same function for live and simulated null windows, and each p-value maps to its threshold
/// level through a lookup by its count.
/// </summary>
internal sealed class ThresholdGrid
{
    // Per layer: level of the p-value with tail count k, for k = 0..n.
    private readonly byte[][] _levelOfCount;

    public ThresholdGrid(IReadOnlyList<LayerBackground> layers, SubsetScanOptions options)
    {
        var attainable = new SortedSet<double>();
        foreach (var layer in layers)
        {
            for (int k = 0; k <= layer.Count; k++)
            {
                double p = layer.PValueOfCount(k, options.Tail);
                if (p > options.AlphaMax)
                {
                    break;
                }
                attainable.Add(p);
            }
        }
        double[] all = [.. attainable];
        Alphas = Thin(all, options.MaxThresholds);

        _levelOfCount = new byte[layers.Count][];
        for (int l = 0; l < layers.Count; l++)
        {
            var levels = new byte[layers[l].Count + 1];
            for (int k = 0; k < levels.Length; k++)
            {
                levels[k] = (byte)LevelOf(layers[l].PValueOfCount(k, options.Tail));
            }
            _levelOfCount[l] = levels;
        }
    }

    /// <summary>Thresholds, ascending; may be empty when α_max is below every attainable p-value.</summary>
    public double[] Alphas { get; }

    /// <summary>Index of the smallest threshold ≥ the p-value of tail count <paramref name="count"/> in layer <paramref name="layer"/>; <see cref="Alphas"/>.Length when none.</summary>
    public byte Level(int layer, int count) => _levelOfCount[layer][count];

    /// <summary>Layer <paramref name="layer"/>'s levels of the tail counts 0..n, for a device backend; not to be modified.</summary>
    public byte[] LevelsOfCount(int layer) => _levelOfCount[layer];

    private int LevelOf(double p)
    {
        int index = Array.BinarySearch(Alphas, p);
        return index >= 0 ? index : ~index;
    }

    private static double[] Thin(double[] sorted, int most)
    {
        if (sorted.Length <= most)
        {
            return sorted;
        }
        // Ranks 1..R spaced evenly in log (kept distinct): every small threshold survives, larger
        // ones get sparser; the first and last attainable values are always kept.
        var thinned = new double[most];
        int previous = 0;
        for (int t = 0; t < most; t++)
        {
            int target = most == 1 ? sorted.Length : (int)Math.Round(Math.Pow(sorted.Length, t / (double)(most - 1)));
            int rank = Math.Min(Math.Max(previous + 1, target), sorted.Length - (most - 1 - t));
            thinned[t] = sorted[rank - 1];
            previous = rank;
        }
        return thinned;
    }
}
