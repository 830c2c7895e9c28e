using Streaming.Detection.Scoring;

namespace Streaming.Detection.Decision;

/// <summary>
/// The per-input family of the window decision: in each layer, how many of the window's events have a
/// conformal p-value at or below each of several levels t_k = j_k/(n_cal + 1), all levels read at once.
/// A layer's statistic is the smallest tail over the levels, P(c_k ≥ observed c_k) (a Berk–Jones
/// statistic on a grid: it picks the level where the window is most unusual), and its p-value is
/// exact: the chance, on clean traffic, of a statistic at least as small, from the counts' joint law
/// (nested levels: a short recursion over the levels), not a union bound over levels. The layers are
/// combined with Bonferroni (L × the smallest layer p-value), valid whatever their dependence.
/// <para>
/// Clean law (default): over calibration draws. The conformal p-values of one window's events share
/// the calibration split, so they are dependent: given the split, each falls at or below t_k with the
/// same unknown share π_k (Beta(j_k, n_cal + 1 − j_k) over splits), and counts are overdispersed
/// against a binomial. Their exact law is the law of ranks of n_cal + m exchangeable inputs, with no
/// assumption on the scores, so a clean window's p-value is uniform (super-uniform with ties) over
/// calibration draws: the guarantee of the conformal p-values themselves. The alternative
/// (<c>calibrationConfidence</c>, what the earlier single-level count test did) holds given the split, for
/// the splits whose π_k lie under an upper bound, and pays for it: at level 0.001 with n_cal = 2,000 the
/// 95 % bound on π is 2.4 times its mean, which makes three inputs below it 4 times less surprising.
/// On the deployed split the false-alarm rate is measured (docs/measurements.md); on a split whose
/// π_k all sit at their 95 % bounds a layer at 0.0075 would reject 1.9 % of clean windows (0.4 % at
/// the median split), by simulation.
/// </para>
/// <para>
/// Why it replaced the count of fused p-values at 0.01 and the per-layer counts at 0.05 and 0.1
/// (`control evaluate --decision-only`, same population, small-cnn, calibration 2,000; figures in
/// docs/measurements.md, "Per-input window test: levels and their law", 2026-12-03): PGD 0.3's
/// evidence sits in one layer (conv2: 70 % of its inputs at p ≤ 0.001, 99 % at ≤ 0.01) and the fused
/// p-value spreads it (the minimum over 4 layers made conformal again: 92 % of PGD inputs reach 0.01),
/// while a single level at 0.01 needs every one of five PGD inputs below it; 3 to 4 PGD inputs among
/// 100 at 0.001 are already rare on clean traffic. FGSM 0.1's many slightly unusual inputs show at
/// 0.05 and 0.1. More levels cost power (each adds its own clean chance of a small tail): 7 levels
/// from 0.001 to 0.1 gave FGSM 0.1 with 15 of 100 inputs 56 % against 65 % with these 4.
/// </para>
/// </summary>
public sealed class LevelCountTest
{
    /// <summary>The default levels of an event's per-layer p-value: 0.001 and 0.005 (a few inputs far out), 0.05 and 0.1 (many a little out).</summary>
    public static IReadOnlyList<double> DefaultLevels { get; } = [0.001, 0.005, 0.05, 0.1];

    private readonly int[] _steps;
    private readonly double[] _cuts;
    private readonly double[]? _shares;
    private double[] _logFactorials = [0.0];

    /// <param name="calibrationCount">n_cal, the size of the calibration split behind the p-values.</param>
    /// <param name="levels">Levels in (0, 1); <see cref="DefaultLevels"/> when null. Each is rounded down to the p-values' grid j/(n_cal + 1), at least one step.</param>
    /// <param name="calibrationConfidence">
    /// Null (default): the counts' exact law over calibration draws. A value in (0, 1): the law given the
    /// split, each π_k at its upper bound for that share of calibration draws.
    /// </param>
    public LevelCountTest(int calibrationCount, IReadOnlyList<double>? levels = null, double? calibrationConfidence = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(calibrationCount, 1);
        levels ??= DefaultLevels;
        if (levels.Count == 0) throw new ArgumentException("At least one level is required.", nameof(levels));
        if (calibrationConfidence is { } c && !(c > 0 && c < 1)) throw new ArgumentOutOfRangeException(nameof(calibrationConfidence), c, "The confidence lies in (0, 1).");
        foreach (double level in levels)
        {
            if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(levels), level, "Every level lies in (0, 1).");
        }
        int[] steps = [.. levels.Select(t => Math.Max(1, (int)Math.Floor(t * (calibrationCount + 1)))).Where(j => j <= calibrationCount).Distinct().Order()];
        if (steps.Length == 0) steps = [calibrationCount];
        CalibrationCount = calibrationCount;
        CalibrationConfidence = calibrationConfidence;
        _steps = steps;
        _cuts = [.. steps.Select(j => j / (calibrationCount + 1.0) * (1 + 1e-12))];
        _shares = calibrationConfidence is { } confidence ? [.. steps.Select(j => BinomialTail.UpperShare(j, calibrationCount, confidence))] : null;
        Levels = [.. steps.Select(j => j / (calibrationCount + 1.0))];
    }

    public int CalibrationCount { get; }

    /// <summary>Null: the law over calibration draws (default); otherwise the confidence of the per-split bounds.</summary>
    public double? CalibrationConfidence { get; }

    /// <summary>The levels in use, on the p-values' grid, ascending.</summary>
    public IReadOnlyList<double> Levels { get; }

    /// <summary>The per-input family over all layers: min(1, L × the smallest layer p-value); 1 for an empty window.</summary>
    public double PValue(IReadOnlyList<InputScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0) return 1.0;
        int layers = scores[0].LayerPValues.Count;
        double smallest = 1.0;
        var column = new double[scores.Count];
        for (int l = 0; l < layers; l++)
        {
            for (int e = 0; e < scores.Count; e++) column[e] = scores[e].LayerPValues[l];
            smallest = Math.Min(smallest, PValue(column));
        }
        return Math.Min(1.0, layers * smallest);
    }

    /// <summary>One layer: P(statistic ≤ observed) on clean traffic, in (0, 1].</summary>
    /// <param name="pValues">The window's conformal p-values of one layer, one per event.</param>
    public double PValue(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        int m = pValues.Count;
        if (m == 0) return 1.0;
        int levels = _cuts.Length;
        var counts = new int[levels];
        foreach (double p in pValues)
        {
            for (int k = levels - 1; k >= 0 && p <= _cuts[k]; k--) counts[k]++;
        }
        var law = new CountLaw(this, m);
        double statistic = 1.0;
        for (int k = 0; k < levels; k++) statistic = Math.Min(statistic, law.Tail(k, counts[k]));
        if (statistic >= 1.0) return 1.0;

        // reach_k: the smallest count at level k whose tail is at most the statistic; the statistic is
        // at most the observed one exactly when some count reaches its reach_k.
        var reach = new int[levels];
        double union = 0;
        for (int k = 0; k < levels; k++)
        {
            reach[k] = law.SmallestCountWithTailAtMost(k, statistic);
            union += law.Tail(k, reach[k]);
        }
        // Far beyond any alert level the union bound is already tiny: no need for the exact law.
        if (union < 1e-9) return Math.Max(double.Epsilon, union);
        double none = law.AllBelow(reach);
        // Bounds that hold exactly: at least one level's tail, at most their sum (Bonferroni over levels).
        return Math.Max(double.Epsilon, Math.Clamp(1.0 - none, statistic, Math.Min(1.0, union)));
    }

    private double[] LogFactorials(int upTo)
    {
        var table = _logFactorials;
        if (table.Length > upTo) return table;
        // Grown on demand; a reader sees either the old table or a complete new one.
        var grown = new double[upTo + 1];
        for (int i = 1; i <= upTo; i++) grown[i] = grown[i - 1] + Math.Log(i);
        _logFactorials = grown;
        return grown;
    }

    /// <summary>
    /// The joint law of the nested counts c_0 ≤ c_1 ≤ … of m clean events. Over calibration draws
    /// (exchangeable calibration and test inputs) it is the law of ranks: c_k is the number of test
    /// inputs ranked above the j_k-th largest calibration input among n_cal + m shuffled inputs, a
    /// negative hypergeometric count, and c_(k+1) − c_k is again one among the inputs left after that
    /// calibration input. Given the split, with upper shares π_k: c_top ~ Binomial(m, π_top) and, going
    /// down, c_k | c_(k+1) ~ Binomial(c_(k+1), π_k / π_(k+1)).
    /// </summary>
    private readonly struct CountLaw
    {
        private readonly LevelCountTest _test;
        private readonly int _m;
        private readonly double[] _log;

        public CountLaw(LevelCountTest test, int m)
        {
            _test = test;
            _m = m;
            _log = test._shares is null ? test.LogFactorials(test.CalibrationCount + m + 1) : [];
        }

        /// <summary>P(c_k ≥ count).</summary>
        public double Tail(int k, int count)
        {
            if (_test._shares is { } shares) return BinomialTail.AtLeast(count, _m, shares[k]);
            if (count <= 0) return 1.0;
            double sum = 0;
            for (int c = count; c <= _m; c++) sum += Before(c, _test._steps[k], _m, _test.CalibrationCount);
            return Math.Min(1.0, sum);
        }

        public int SmallestCountWithTailAtMost(int k, double statistic)
        {
            // The tail falls as the count grows; bisection over 0..m+1 (the tail of m+1 is 0).
            int lo = 0, hi = _m + 1;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (Tail(k, mid) <= statistic * (1 + 1e-9)) hi = mid; else lo = mid + 1;
            }
            return lo;
        }

        /// <summary>P(c_k &lt; reach_k for every level k).</summary>
        public double AllBelow(int[] reach)
        {
            int levels = reach.Length;
            if (_test._shares is { } shares)
            {
                int top = levels - 1;
                var distribution = new double[Math.Min(reach[top], _m + 1)];
                for (int c = 0; c < distribution.Length; c++) distribution[c] = BinomialPmf(c, _m, shares[top]);
                for (int k = top - 1; k >= 0; k--)
                {
                    double q = shares[k] / shares[k + 1];
                    var next = new double[Math.Min(reach[k], distribution.Length)];
                    for (int above = 0; above < distribution.Length; above++)
                    {
                        if (distribution[above] == 0) continue;
                        for (int c = 0; c < next.Length && c <= above; c++) next[c] += distribution[above] * BinomialPmf(c, above, q);
                    }
                    distribution = next;
                }
                return Math.Min(1.0, distribution.Sum());
            }

            int n = _test.CalibrationCount;
            int[] steps = _test._steps;
            var counts = new double[Math.Min(reach[0], _m + 1)];
            for (int c = 0; c < counts.Length; c++) counts[c] = Before(c, steps[0], _m, n);
            for (int k = 1; k < levels; k++)
            {
                int step = steps[k] - steps[k - 1], remaining = n - steps[k - 1];
                var next = new double[Math.Min(reach[k], _m + 1)];
                for (int c = 0; c < counts.Length; c++)
                {
                    if (counts[c] == 0) continue;
                    for (int c2 = c; c2 < next.Length; c2++) next[c2] += counts[c] * Before(c2 - c, step, _m - c, remaining);
                }
                counts = next;
            }
            return Math.Min(1.0, counts.Sum());
        }

        /// <summary>P(exactly d of t test inputs come before the r-th of n calibration inputs), all orders equally likely.</summary>
        private double Before(int d, int r, int t, int n)
        {
            if (d < 0 || d > t || r > n) return 0.0;
            return Math.Exp(LogChoose(d + r - 1, d) + LogChoose(t - d + n - r, n - r) - LogChoose(n + t, n));
        }

        private double LogChoose(int a, int b) => _log[a] - _log[b] - _log[a - b];
    }

    private static double BinomialPmf(int k, int n, double p)
    {
        if (p <= 0) return k == 0 ? 1 : 0;
        if (p >= 1) return k == n ? 1 : 0;
        double logChoose = 0;
        for (int i = 1; i <= k; i++) logChoose += Math.Log(n - k + i) - Math.Log(i);
        return Math.Exp(logChoose + (k * Math.Log(p)) + ((n - k) * Math.Log(1 - p)));
    }
}
