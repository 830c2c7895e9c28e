using System.Diagnostics;
using Streaming.Detection.Compute;

namespace Streaming.WindowBench;

/// <summary>
/// Times the window test's device half on a backend: per case, n_ref reference vectors per layer
/// (seeded normals, bandwidth √d, about the median heuristic for them), the permutations for windows
/// of m, then batches of clean windows through <see cref="IWindowStatisticsBackend.Compute"/>, which
/// includes the upload of the windows and the one download of every statistic.
/// </summary>
public static class WindowBenchmark
{
    public static BenchFigure Measure(Func<IWindowStatisticsBackend> createBackend, BenchCase benchCase, BenchSettings settings, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(createBackend);
        ArgumentNullException.ThrowIfNull(benchCase);
        ArgumentNullException.ThrowIfNull(settings);
        using var backend = createBackend();
        var random = new Random((int)settings.Seed);
        var setup = Stopwatch.StartNew();
        for (int l = 0; l < settings.Dimensions.Count; l++)
        {
            int d = settings.Dimensions[l];
            backend.AddLayer($"layer{l}", Normals(random, benchCase.ReferenceCount * d), benchCase.ReferenceCount, d, Math.Sqrt(d), [1.0]);
            backend.SetPermutations(l, PermutationSet.Random(benchCase.ReferenceCount, settings.WindowCount, settings.Permutations, settings.Seed + (ulong)l));
        }
        log.WriteLine($"  {backend.Description}: n_ref {benchCase.ReferenceCount}, layers and permutations ready in {setup.Elapsed.TotalSeconds:F1} s");

        int calls = (settings.Windows + benchCase.Batch - 1) / benchCase.Batch;
        var batches = Enumerable.Range(0, Math.Min(calls, 4)).Select(_ =>
            (IReadOnlyList<float[]>)[.. settings.Dimensions.Select(d => Normals(random, benchCase.Batch * settings.WindowCount * d))]).ToList();
        float checksum = backend.Compute(benchCase.Batch, settings.WindowCount, batches[0])[0];   // warm-up (kernel compilation, buffers)
        long started = Stopwatch.GetTimestamp();
        for (int call = 0; call < calls; call++)
        {
            checksum += backend.Compute(benchCase.Batch, settings.WindowCount, batches[call % batches.Count])[0];
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (!float.IsFinite(checksum))
        {
            throw new InvalidOperationException($"{backend.Description} returned a non-finite statistic.");
        }
        return new BenchFigure(backend.Description, benchCase.ReferenceCount, benchCase.Batch, calls * benchCase.Batch, elapsed.TotalSeconds);
    }

    /// <summary>One line per figure: windows/s, ms/window and, where the baseline has the same case, the ratio to it.</summary>
    public static string Describe(BenchFigure figure, IReadOnlyList<BenchFigure> baseline)
    {
        var line = FormattableString.Invariant(
            $"{figure.Backend} | n_ref {figure.ReferenceCount,6} | batch {figure.Batch,2} | {figure.WindowsPerSecond,9:F1} windows/s | {figure.MillisecondsPerWindow,9:F3} ms/window");
        var reference = baseline.FirstOrDefault(b => b.ReferenceCount == figure.ReferenceCount && b.Batch == figure.Batch);
        return reference is null
            ? line + " | no baseline for this case"
            : line + FormattableString.Invariant(
                $" | {reference.Backend}: {reference.WindowsPerSecond:F1} windows/s, {reference.MillisecondsPerWindow:F3} ms/window | ratio {figure.WindowsPerSecond / reference.WindowsPerSecond:G3}x");
    }

    private static float[] Normals(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u = 1.0 - random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * random.NextDouble()));
        }
        return values;
    }
}
