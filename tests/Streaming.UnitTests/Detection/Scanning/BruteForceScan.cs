using Streaming.Detection.Scanning;

namespace Streaming.UnitTests.Detection.Scanning;

/// <summary>The scan statistic maximised over every subset (2^m · 2^d): the ground truth for tiny problems.</summary>
internal static class BruteForceScan
{
    /// <summary>Best score over all event subsets for the fixed nodes.</summary>
    public static double BestEvents(double[] p, int events, int nodes, double[] alphas, ScanStatistic statistic, int[] fixedNodes) =>
        Subsets(events).Max(e => Score(p, nodes, alphas, statistic, e, fixedNodes));

    /// <summary>Best score over all node subsets for the fixed events.</summary>
    public static double BestNodes(double[] p, int events, int nodes, double[] alphas, ScanStatistic statistic, int[] fixedEvents) =>
        Subsets(nodes).Max(n => Score(p, nodes, alphas, statistic, fixedEvents, n));

    /// <summary>Best score over all pairs of non-empty subsets.</summary>
    public static double Best(double[] p, int events, int nodes, double[] alphas, ScanStatistic statistic)
    {
        var nodeSubsets = Subsets(nodes).ToArray();
        return Subsets(events).Max(e => nodeSubsets.Max(n => Score(p, nodes, alphas, statistic, e, n)));
    }

    public static double Score(double[] p, int nodes, double[] alphas, ScanStatistic statistic, int[] events, int[] chosenNodes)
    {
        double best = double.NegativeInfinity;
        foreach (double alpha in alphas)
        {
            int below = 0;
            foreach (int i in events)
            {
                foreach (int j in chosenNodes)
                {
                    if (p[i * nodes + j] <= alpha) below++;
                }
            }
            best = Math.Max(best, ScanScores.Score(statistic, below, events.Length * chosenNodes.Length, alpha));
        }
        return best;
    }

    private static IEnumerable<int[]> Subsets(int count)
    {
        for (int mask = 1; mask < 1 << count; mask++)
        {
            yield return [.. Enumerable.Range(0, count).Where(i => (mask & (1 << i)) != 0)];
        }
    }
}
