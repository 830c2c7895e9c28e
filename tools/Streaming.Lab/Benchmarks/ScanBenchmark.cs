using System.Diagnostics;
using Streaming.Detection;
using Streaming.Detection.Scanning;

namespace Streaming.Lab.Benchmarks;

/// <summary>
/// Times the subset scan on the same windows as the MMD window test, against that test's time
/// measured in the same run, and the one-off build of the scan's null for a few window sizes.
/// </summary>
public static class ScanBenchmark
{
    /// <param name="background">Scanner background, one entry per layer (the MMD reference, so both tests see the same clean data).</param>
    /// <param name="windows">Windows to scan, by layer name (those the MMD test timed).</param>
    /// <param name="heldOut">Per background layer: clean vectors to simulate null windows from.</param>
    /// <param name="mmdMillisecondsPerWindow">The MMD window test's time per window in this run.</param>
    /// <param name="nullSizes">Window sizes whose null build is timed.</param>
    public static void Run(
        TextWriter output,
        IReadOnlyList<LayerReference> background,
        IReadOnlyList<IReadOnlyDictionary<string, float[][]>> windows,
        IReadOnlyList<float[][]> heldOut,
        double mmdMillisecondsPerWindow,
        IReadOnlyList<int> nullSizes,
        SubsetScanOptions? options = null,
        ScanNullOptions? nullOptions = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(nullSizes);
        if (windows.Count == 0)
        {
            throw new ArgumentException("The scan benchmark needs at least one window.", nameof(windows));
        }
        long started = Stopwatch.GetTimestamp();
        var scanner = SubsetScanner.FromReferences(background, options);
        double setupMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        nullOptions ??= new ScanNullOptions();

        scanner.Scan(windows[0]);   // warm-up: JIT, the shared x·ln x table
        var milliseconds = new double[windows.Count];
        ScanResult? last = null;
        for (int i = 0; i < windows.Count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            last = scanner.Scan(windows[i]);
            milliseconds[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        double mean = milliseconds.Average();
        Array.Sort(milliseconds);
        var o = scanner.Options;
        output.WriteLine(FormattableString.Invariant(
            $"subset scan ({o.Statistic}, {o.Tail} tail, α_max {o.AlphaMax}, {scanner.Alphas.Count} thresholds, {o.Restarts} restarts) over {scanner.NodeCount} nodes, n_bg {background[0].Count}, window {windows[0].Values.First().Length}: median {milliseconds[milliseconds.Length / 2]:F2} ms, mean {mean:F2} ms, max {milliseconds[^1]:F2} ms over {windows.Count} windows (last: score {last!.Score:F1}, {last.Events.Count} events × {last.Nodes.Count} nodes); scanner set-up {setupMs:F0} ms"));
        output.WriteLine(FormattableString.Invariant(
            $"window test with both families: MMD {mmdMillisecondsPerWindow:F2} ms + scan {mean:F2} ms = {mmdMillisecondsPerWindow + mean:F2} ms per window, {(mmdMillisecondsPerWindow + mean) / mmdMillisecondsPerWindow:F2}x the MMD test alone (target ≤ 2x)"));

        foreach (int size in nullSizes)
        {
            long start = Stopwatch.GetTimestamp();
            var scanNull = ScanNull.Build(scanner, heldOut, size, nullOptions);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            output.WriteLine(FormattableString.Invariant(
                $"scan null, window {size}: {nullOptions.Windows} simulated windows from {heldOut[0].Length} held-out inputs in {seconds:F2} s ({nullOptions.MaxDegreeOfParallelism} thread(s)); 95th percentile score {scanNull.Scores[(int)(0.95 * (scanNull.Scores.Count - 1))]:F1}"));
        }
    }
}
