using Streaming.Detection;
using Streaming.Lab.Evaluation;
using Streaming.Detection.Scoring;

namespace Streaming.Lab.Benchmarks;

/// <summary>
/// Clean false-alarm rate of the window test with permutations and with the precomputed null, and
/// how often the two decide a window alike, on the same clean windows in the same run. The
/// reference's calibration split is halved: the first half is the precomputed null's pool, the
/// second half (disjoint from it and from the reference) is the clean traffic the windows are drawn
/// from, so a clean window is as new to the null as live traffic is.
/// </summary>
public static class MmdNullAgreement
{
    public sealed record Result(int Windows, int PermutationAlarms, int PrecomputedAlarms, int Agreements);

    public static Result Run(TextWriter output, ReferenceSet reference, int windows, int windowSize, WindowTesterOptions options, int seed = 11)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        var split = reference.RequireCalibration();
        int half = split.Count / 2;
        if (half < windowSize)
        {
            throw new ArgumentException($"Half the calibration split ({half}) is smaller than a window of {windowSize}.", nameof(windowSize));
        }
        var pool = new CalibrationSplit(split.ReferenceLabels, half,
            [.. reference.Layers.Select((l, i) => split.Vectors[i][..(half * l.Dimension)])], split.Labels[..half], split.Seed, split.Source + " (first half)");
        var halved = reference with { Calibration = pool };

        using var permutation = new WindowTester(halved, TorchSharp.torch.CPU, options with { Null = MmdNullMode.Permutation });
        using var precomputed = new WindowTester(halved, TorchSharp.torch.CPU, options with { Null = MmdNullMode.Precomputed });
        var random = new Random(seed);
        int permutationAlarms = 0, precomputedAlarms = 0, agreements = 0;
        for (int k = 0; k < windows; k++)
        {
            // Distinct rows of the second half: a clean window no null window was drawn from.
            var rows = Enumerable.Range(half, split.Count - half).OrderBy(_ => random.Next()).Take(windowSize).ToArray();
            var window = reference.Layers.Select((l, i) => (l.Layer, Rows: rows.Select(r => split.Vectors[i].AsSpan(r * l.Dimension, l.Dimension).ToArray()).ToArray()))
                .ToDictionary(x => x.Layer, x => x.Rows);
            bool a = permutation.Test(window).Alert;
            bool b = precomputed.Test(window).Alert;
            permutationAlarms += a ? 1 : 0;
            precomputedAlarms += b ? 1 : 0;
            agreements += a == b ? 1 : 0;
        }

        output.WriteLine(FormattableString.Invariant(
            $"clean windows of {windowSize} from the held-out half of the calibration split ({split.Count - half} inputs; null pool: the other {half}), {windows} windows, alpha {options.Alpha}:"));
        output.WriteLine($"  permutation  false alarms {Rate(permutationAlarms, windows)}");
        output.WriteLine($"  precomputed  false alarms {Rate(precomputedAlarms, windows)}");
        output.WriteLine($"  same decision {Rate(agreements, windows)}");
        return new Result(windows, permutationAlarms, precomputedAlarms, agreements);
    }

    /// <summary>"k/n = r (Wilson 95 % [lo, hi])".</summary>
    public static string Rate(int count, int trials)
    {
        var (lower, upper) = WilsonInterval.Compute(count, trials);
        return FormattableString.Invariant($"{count}/{trials} = {count / (double)trials:F3} (Wilson 95 % [{lower:F3}, {upper:F3}])");
    }
}
