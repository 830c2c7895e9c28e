namespace Streaming.Detection.Scanning;

/// <summary>
/// One conditional step of the subset scan, exact by the linear-time subset scanning property:
/// given the node subset, the best event subset (or the converse) over every threshold α. At fixed α
/// every event carries the same number of p-values (the node subset's size), and φ grows with N_α at
/// fixed N, so the best subset of each size s is the s events with the most p-values ≤ α: scanning
/// the prefixes of the events sorted by that count finds the optimum in O(m) after the sort, instead
/// of 2^m subsets. The sort is a counting sort (counts are small integers), so a step costs
/// O(m·|nodes| + T·(m + |nodes|)) for T thresholds.
/// </summary>
internal sealed class LtssStep
{
    private readonly LevelMatrix _matrix;
    private readonly ScanStatistic _statistic;
    private readonly int[] _cumulative;   // items × T: how many member p-values are ≤ α_t
    private readonly int[] _histogram;    // scratch: per item T+1 levels, or per count value
    private readonly int[] _counts;       // scratch: per item its count at one level
    private readonly ulong[] _present;    // scratch: a bit per count value held by some item at one level

    // A scan runs one step object at a time on a thread, and a window's scan needs about 100 KB of scratch:
    // kept per thread and grown as needed instead of allocated per scan (every window's), which the Detector's
    // allocation profile put at 8 % of its bytes. Contents are never read before being written in a step.
    [ThreadStatic] private static int[]? t_cumulative;
    [ThreadStatic] private static int[]? t_histogram;
    [ThreadStatic] private static int[]? t_counts;
    [ThreadStatic] private static ulong[]? t_present;

    /// <summary>A step over <paramref name="matrix"/> with this thread's scratch: use it on this thread only, one step object at a time.</summary>
    public LtssStep(LevelMatrix matrix, ScanStatistic statistic)
    {
        _matrix = matrix;
        _statistic = statistic;
        int items = Math.Max(matrix.Events, matrix.Nodes);
        _cumulative = Scratch(ref t_cumulative, items * Math.Max(1, matrix.Thresholds));
        _histogram = Scratch(ref t_histogram, Math.Max(items * (matrix.Thresholds + 1), items + 1));
        _counts = Scratch(ref t_counts, items);
        _present = Scratch(ref t_present, items / 64 + 1);
    }

    private static T[] Scratch<T>(ref T[]? held, int length)
    {
        if (held is null || held.Length < length) held = new T[length];
        return held;
    }

    /// <summary>Best event subset and threshold for the given nodes (non-empty).</summary>
    public StepResult BestEvents(ReadOnlySpan<int> nodes)
    {
        int t = _matrix.Thresholds, d = _matrix.Nodes;
        var levels = _matrix.Levels;
        var cumulative = _cumulative.AsSpan(0, _matrix.Events * t);
        var histogram = _histogram.AsSpan(0, t + 1);
        for (int i = 0; i < _matrix.Events; i++)
        {
            histogram.Clear();
            int row = i * d;
            foreach (int j in nodes)
            {
                histogram[levels[row + j]]++;
            }
            Accumulate(histogram, cumulative.Slice(i * t, t));
        }
        return BestPrefix(_matrix.Events, nodes.Length);
    }

    /// <summary>Best node subset and threshold for the given events (non-empty).</summary>
    public StepResult BestNodes(ReadOnlySpan<int> events)
    {
        int t = _matrix.Thresholds, d = _matrix.Nodes;
        var levels = _matrix.Levels;
        var histogram = _histogram.AsSpan(0, d * (t + 1));
        histogram.Clear();
        foreach (int i in events)
        {
            var row = levels.AsSpan(i * d, d);
            for (int j = 0; j < row.Length; j++)
            {
                histogram[j * (t + 1) + row[j]]++;
            }
        }
        var cumulative = _cumulative.AsSpan(0, d * t);
        for (int j = 0; j < d; j++)
        {
            Accumulate(histogram.Slice(j * (t + 1), t + 1), cumulative.Slice(j * t, t));
        }
        return BestPrefix(d, events.Length);
    }

    private static void Accumulate(ReadOnlySpan<int> histogram, Span<int> cumulative)
    {
        int running = 0;
        for (int level = 0; level < cumulative.Length; level++)
        {
            running += histogram[level];
            cumulative[level] = running;
        }
    }

    /// <summary>
    /// Over every threshold and prefix of the items sorted by their count of p-values ≤ α: the best
    /// score. Every item holds <paramref name="members"/> p-values, so a prefix of s items has N = s·members.
    /// </summary>
    private StepResult BestPrefix(int items, int members)
    {
        int t = _matrix.Thresholds;
        double bestScore = double.NegativeInfinity;
        int bestLevel = -1, bestSize = 0;
        var countOf = _histogram.AsSpan(0, members + 1);
        var present = _present.AsSpan(0, members / 64 + 1);
        double[] xLogX = _statistic == ScanStatistic.BerkJones ? XLogXTable.AtLeast(items * members) : [];
        for (int level = 0; level < t; level++)
        {
            double alpha = _matrix.Alphas[level];
            countOf.Clear();
            present.Clear();
            for (int item = 0; item < items; item++)
            {
                int count = _cumulative[item * t + level];
                countOf[count]++;
                present[count >> 6] |= 1UL << count;
            }
            // Prefixes in decreasing count. Items with count 0 never raise either statistic (at fixed
            // N_α both fall as N grows), so they are skipped; a subset of only such items is still
            // scored once so that a window with no p-value ≤ α has a defined result.
            // Berk–Jones also stops at the first item whose own share of p-values ≤ α is below α (by a margin
            // far above rounding): the score is N·φ(N_α/N) for a convex φ that is 0 up to α, so adding such an
            // item — and every later one holds no more — can only lower it (a sum's score is at most the sum of
            // the parts' scores, and such an item's is 0); the prefixes skipped never beat the last one scored.
            // A threshold whose items all stop so gets the empty case's score below, 0 for size 1, as before.
            int lowest = _statistic == ScanStatistic.BerkJones ? (int)Math.Floor(alpha * members * (1 - 1e-9)) + 1 : 1;
            var (prefixScore, prefixSize) = _statistic == ScanStatistic.BerkJones
                ? BestBerkJonesPrefix(countOf, present, members, lowest, alpha, xLogX)
                : BestHigherCriticismPrefix(countOf, present, members, alpha);
            if (prefixScore > bestScore)
            {
                (bestScore, bestLevel, bestSize) = (prefixScore, level, prefixSize);
            }
            if (prefixSize == 0)
            {
                double score = ScanScores.Score(_statistic, 0, members, alpha);
                if (score > bestScore)
                {
                    (bestScore, bestLevel, bestSize) = (score, level, 1);
                }
            }
        }
        return bestLevel < 0
            ? new StepResult(double.NegativeInfinity, -1, [])
            : new StepResult(bestScore, bestLevel, TopItems(items, members, bestLevel, bestSize));
    }

    /// <summary>
    /// The best Berk–Jones score over the prefixes (items in decreasing count, <paramref name="countOf"/> items per
    /// count) down to count <paramref name="lowest"/>, and the first prefix size reaching it (size 0: no item to score).
    /// One loop per statistic, with the counts also carried as doubles (exact: they are small integers): the
    /// per-prefix arithmetic is the same operations in the same order as ever, without a switch or a conversion per prefix.
    /// </summary>
    private static (double Score, int Size) BestBerkJonesPrefix(ReadOnlySpan<int> countOf, ReadOnlySpan<ulong> present, int members, int lowest, double alpha, double[] xLogX)
    {
        double logAlpha = Math.Log(alpha), logRest = Math.Log(1 - alpha);
        double bestScore = double.NegativeInfinity;
        int bestSize = 0, size = 0, below = 0, n = 0;
        double belowValue = 0, nValue = 0;
        for (var counts = new PresentCounts(present); counts.Next(lowest, out int value);)
        {
            for (int k = countOf[value]; k > 0; k--)
            {
                size++;
                below += value;
                n += members;
                belowValue += value;
                nValue += members;
                double score = belowValue > alpha * nValue
                    ? xLogX[below] + xLogX[n - below] - xLogX[n] - belowValue * logAlpha - (nValue - belowValue) * logRest
                    : 0;
                if (score > bestScore)
                {
                    (bestScore, bestSize) = (score, size);
                }
            }
        }
        return (bestScore, bestSize);
    }

    /// <summary><see cref="BestBerkJonesPrefix"/> for Higher Criticism, every item with a count of at least 1.</summary>
    private static (double Score, int Size) BestHigherCriticismPrefix(ReadOnlySpan<int> countOf, ReadOnlySpan<ulong> present, int members, double alpha)
    {
        double hcScale = 1 / Math.Sqrt(alpha * (1 - alpha));
        double bestScore = double.NegativeInfinity;
        int bestSize = 0, size = 0;
        double belowValue = 0, nValue = 0;
        for (var counts = new PresentCounts(present); counts.Next(1, out int value);)
        {
            for (int k = countOf[value]; k > 0; k--)
            {
                size++;
                belowValue += value;
                nValue += members;
                double score = (belowValue - nValue * alpha) * hcScale / Math.Sqrt(nValue);
                if (score > bestScore)
                {
                    (bestScore, bestSize) = (score, size);
                }
            }
        }
        return (bestScore, bestSize);
    }

    /// <summary>The <paramref name="size"/> items with the largest counts at <paramref name="level"/>, ties by index, ascending.</summary>
    private int[] TopItems(int items, int members, int level, int size)
    {
        int t = _matrix.Thresholds;
        var counts = _counts.AsSpan(0, items);
        for (int item = 0; item < items; item++)
        {
            counts[item] = _cumulative[item * t + level];
        }
        return MostCounted.Select(counts, members, size, _histogram.AsSpan(0, members + 1));
    }
}
