using Streaming.Detection.Scanning;

namespace Streaming.UnitTests.Detection.Scanning;

/// <summary>Synthetic Gaussian layers and planted anomalies for scan tests.</summary>
internal static class ScanData
{
    public static SubsetScanner Scanner(int backgroundCount, int[] dimensions, int seed, SubsetScanOptions? options = null) =>
        new([.. dimensions.Select((d, l) => LayerBackground.FromRows($"layer{l}", Gaussian.Samples(backgroundCount, d, seed + 7919 * l)))], options);

    /// <summary>Clean window: per layer, <paramref name="events"/> standard normal rows.</summary>
    public static float[][][] Window(int events, int[] dimensions, int seed) =>
        [.. dimensions.Select((d, l) => Gaussian.Samples(events, d, seed + 104729 * l))];

    /// <summary>Adds <paramref name="shift"/> to every (event, node) of the planted rectangle; node j is a column over all layers side by side.</summary>
    public static void Plant(float[][][] window, int[] dimensions, IEnumerable<int> events, IEnumerable<int> columns, float shift)
    {
        foreach (int column in columns)
        {
            int layer = 0, node = column;
            while (node >= dimensions[layer])
            {
                node -= dimensions[layer];
                layer++;
            }
            foreach (int i in events)
            {
                window[layer][i][node] += shift;
            }
        }
    }

    /// <summary><paramref name="size"/> distinct indices of [0, <paramref name="count"/>), seeded, ascending.</summary>
    public static int[] Pick(int count, int size, int seed)
    {
        int[] all = [.. Enumerable.Range(0, count)];
        new Random(seed).Shuffle(all);
        return [.. all.Take(size).Order()];
    }
}
