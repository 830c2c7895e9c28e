namespace Streaming.Detection.Scanning;

/// <summary>
/// The null distribution of the scan score for windows of one size: scores of clean windows drawn
/// from held-out reference data, sorted. A window's p-value is (1 + #{null ≥ s}) / (n_null + 1),
/// valid (never anti-conservative) when live clean windows are exchangeable with the simulated ones.
/// </summary>
public sealed class ScanNull
{
    private readonly double[] _sorted;

    /// <param name="scores">Scan scores of simulated clean windows of <paramref name="windowSize"/> events (e.g. loaded from a file).</param>
    public ScanNull(int windowSize, IEnumerable<double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (windowSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(windowSize), windowSize, "Window size must be at least 1.");
        }
        _sorted = [.. scores];
        if (_sorted.Length == 0)
        {
            throw new ArgumentException("A scan null needs at least one simulated score.", nameof(scores));
        }
        if (_sorted.Any(s => !double.IsFinite(s)))
        {
            throw new ArgumentException("Scan null scores must be finite.", nameof(scores));
        }
        Array.Sort(_sorted);
        WindowSize = windowSize;
    }

    public int WindowSize { get; }

    /// <summary>The simulated scores, ascending.</summary>
    public IReadOnlyList<double> Scores => _sorted;

    /// <summary>(1 + #{null scores ≥ <paramref name="score"/>}) / (n + 1).</summary>
    public double PValue(double score)
    {
        if (double.IsNaN(score))
        {
            throw new ArgumentException("A scan score must not be NaN.", nameof(score));
        }
        return Scoring.ConformalPValue.Compute(_sorted, score);
    }

    /// <summary>
    /// Scans <see cref="ScanNullOptions.Windows"/> windows of <paramref name="windowSize"/> events, each
    /// drawn without replacement from <paramref name="heldOut"/>. The held-out data must be clean and
    /// disjoint from the scanner's background.
    /// </summary>
    /// <param name="heldOut">Per scanner layer, in order: held-out vectors, one per input (input i is the same in every layer).</param>
    /// <param name="heldOutGroups">For a conditional scanner: the background group of every held-out input (e.g. its predicted class).</param>
    public static ScanNull Build(
        SubsetScanner scanner,
        IReadOnlyList<float[][]> heldOut,
        int windowSize,
        ScanNullOptions? options = null,
        CancellationToken cancellationToken = default,
        IReadOnlyList<int>? heldOutGroups = null)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        ArgumentNullException.ThrowIfNull(heldOut);
        options ??= new ScanNullOptions();
        options.Validate();
        if (heldOut.Count != scanner.Layers.Count || heldOut.Any(l => l is null))
        {
            throw new ArgumentException($"Held-out data must give all {scanner.Layers.Count} scanner layer(s), got {heldOut.Count}.", nameof(heldOut));
        }
        int available = heldOut[0].Length;
        if (heldOut.Any(l => l.Length != available))
        {
            throw new ArgumentException("Held-out layers hold different numbers of inputs; input i must be the same in every layer.", nameof(heldOut));
        }
        if (heldOutGroups is not null && heldOutGroups.Count != available)
        {
            throw new ArgumentException($"{heldOutGroups.Count} held-out groups given for {available} held-out inputs.", nameof(heldOutGroups));
        }
        if (windowSize < 1 || windowSize > available)
        {
            throw new ArgumentOutOfRangeException(
                nameof(windowSize), windowSize, $"Simulated windows draw without replacement from {available} held-out inputs, so the size must lie in [1, {available}].");
        }

        var scores = new double[options.Windows];
        Parallel.For(
            0,
            options.Windows,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken },
            w =>
            {
                // A seed per window (not HashCode, which is salted per process) keeps the null reproducible.
                var random = new Random(unchecked(options.Seed * 1_000_003 + w));
                int[] drawn = Draw(random, available, windowSize);
                var layers = new float[heldOut.Count][][];
                for (int l = 0; l < heldOut.Count; l++)
                {
                    layers[l] = [.. drawn.Select(i => heldOut[l][i])];
                }
                scores[w] = scanner.Scan(layers, heldOutGroups is null ? null : [.. drawn.Select(i => heldOutGroups[i])]).Score;
            });
        return new ScanNull(windowSize, scores);
    }

    /// <summary>Partial Fisher–Yates: <paramref name="size"/> distinct indices of [0, <paramref name="count"/>).</summary>
    private static int[] Draw(Random random, int count, int size)
    {
        int[] pool = [.. Enumerable.Range(0, count)];
        for (int i = 0; i < size; i++)
        {
            int j = random.Next(i, count);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..size];
    }
}
