namespace Streaming.Detection.Scanning;

/// <summary>
/// Maximises the scan statistic over subsets of events × nodes by iterative ascent (Neill et al.'s
/// fast generalized subset scan): alternate the exact best events given the nodes and the exact best
/// nodes given the events until the score stops rising; restart from all nodes and from seeded
/// random subsets, keep the best. Each step is linear in the data after a counting sort, so the
/// search is polynomial; it finds a local optimum of the joint problem (exact per step, and in
/// practice the global one on small problems where it can be checked against brute force).
/// </summary>
internal static class SubsetAscent
{
    /// <param name="reuseSteps">Take a step's result from an earlier identical step (same direction, same given subset); false computes every step, for tests.</param>
    /// <returns>Score, threshold level, events and nodes (ascending); level −1 and empty subsets when there is no threshold.</returns>
    public static (double Score, int Level, int[] Events, int[] Nodes) Run(LevelMatrix matrix, ScanStatistic statistic, int restarts, int maxIterations, int seed, bool reuseSteps = true)
    {
        if (matrix.Thresholds == 0 || matrix.Events == 0 || matrix.Nodes == 0)
        {
            return (0, -1, [], []);
        }
        var step = new LtssStep(matrix, statistic);
        // A step is a function of its direction and given subset alone; restarts that reach a subset an
        // earlier one stepped from (they often climb to the same optimum) take its result instead of
        // computing it again, so the search visits the same states with the same results, only faster
        // (scan search 1.92-2.02 against 2.33-2.58 ms per live window). At most 2 · maxIterations entries
        // per restart; the given subsets are never changed once made.
        var fromNodes = new Dictionary<int[], StepResult>(SubsetComparer.Instance);
        var fromEvents = new Dictionary<int[], StepResult>(SubsetComparer.Instance);
        var random = new Random(seed);
        var best = (Score: double.NegativeInfinity, Level: -1, Events: Array.Empty<int>(), Nodes: Array.Empty<int>());
        for (int restart = 0; restart <= restarts; restart++)
        {
            // Restart 0 starts from every node; odd restarts from random nodes, even ones from random events.
            bool nodesGiven = restart == 0 || restart % 2 == 1;
            int[] nodes = restart == 0 ? [.. Enumerable.Range(0, matrix.Nodes)] : nodesGiven ? RandomSubset(random, matrix.Nodes) : [];
            int[] events = nodesGiven ? [] : RandomSubset(random, matrix.Events);
            double current = double.NegativeInfinity;
            for (int stepIndex = 0; stepIndex < 2 * maxIterations; stepIndex++)
            {
                var given = nodesGiven ? nodes : events;
                var known = nodesGiven ? fromNodes : fromEvents;
                if (!reuseSteps || !known.TryGetValue(given, out var result))
                {
                    result = nodesGiven ? step.BestEvents(nodes) : step.BestNodes(events);
                    if (reuseSteps) known[given] = result;
                }
                if (stepIndex > 0 && !(result.Score > current + 1e-12 * Math.Max(1, Math.Abs(current))))
                {
                    break;
                }
                current = result.Score;
                if (nodesGiven) events = result.Subset; else nodes = result.Subset;
                if (current > best.Score && events.Length > 0 && nodes.Length > 0)
                {
                    best = (current, result.Level, events, nodes);
                }
                nodesGiven = !nodesGiven;
            }
        }
        return best;
    }

    private static int[] RandomSubset(Random random, int count)
    {
        // Inclusion probability drawn per restart, so restarts explore small and large subsets alike.
        double inclusion = 0.05 + 0.9 * random.NextDouble();
        var subset = Enumerable.Range(0, count).Where(_ => random.NextDouble() < inclusion).ToArray();
        return subset.Length > 0 ? subset : [random.Next(count)];
    }
}
