using System.Diagnostics;
using Streaming.Detection;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Lab.Benchmarks;

/// <summary>
/// Times the permutation test: (1) one window test at serving size, (2) the vectorised
/// permutation statistics against a per-permutation loop on the same kernel and permutations.
/// </summary>
public static class PermutationBenchmark
{
    internal sealed record Sizes(
        int WindowReference, int WindowSize, int WindowDimension, int WindowPermutations, int WindowRepeats,
        int CompareReference, int CompareWindow, int CompareDimension, int ComparePermutations);

    private static readonly Sizes Default = new(500, 100, 128, 500, 20, 1000, 200, 512, 1000);

    /// <param name="device">Where to run; null picks CUDA when available, else the CPU.</param>
    public static void Run(TextWriter output, Device? device = null) => Run(output, device, Default);

    internal static void Run(TextWriter output, Device? device, Sizes sizes)
    {
        ArgumentNullException.ThrowIfNull(output);
        device ??= torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        output.WriteLine(FormattableString.Invariant($"MMD permutation benchmark on {device} ({torch.get_num_threads()} threads)"));
        TimeWindowTest(output, device, sizes);
        CompareWithLoop(output, device, sizes);
    }

    private static void TimeWindowTest(TextWriter output, Device device, Sizes s)
    {
        var layer = RandomLayer(s.WindowReference, s.WindowDimension, seed: 1);
        var window = RandomRows(s.WindowSize, s.WindowDimension, seed: 2, shift: 0.1f);
        using var reference = DeviceReference.Upload(layer, device);
        var test = new MmdPermutationTest(new MmdTestOptions { Permutations = s.WindowPermutations, Seed = 7 });

        test.Run(reference, window);  // warm-up: kernels, allocator, thread pool
        var milliseconds = new double[s.WindowRepeats];
        MmdTestResult? last = null;
        for (int i = 0; i < milliseconds.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            last = test.Run(reference, window);
            milliseconds[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(milliseconds);
        output.WriteLine(FormattableString.Invariant(
            $"window test n_ref={s.WindowReference} m={s.WindowSize} d={s.WindowDimension} P={s.WindowPermutations}: median {milliseconds[milliseconds.Length / 2]:F2} ms, min {milliseconds[0]:F2} ms, max {milliseconds[^1]:F2} ms over {milliseconds.Length} runs (p = {last!.PValue:F4})"));
    }

    private static void CompareWithLoop(TextWriter output, Device device, Sizes s)
    {
        int n = s.CompareReference, m = s.CompareWindow;
        var layer = RandomLayer(n, s.CompareDimension, seed: 3);
        var window = RandomRows(m, s.CompareDimension, seed: 4, shift: 0.05f);
        using var reference = DeviceReference.Upload(layer, device);
        float[] flatWindow = [.. window.SelectMany(r => r)];

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (kernel, _, _) = MmdPermutationTest.JointKernel(reference, flatWindow, m);
        var groups = PermutationStatistics.ObservedThenRandom(n, m, s.ComparePermutations, seed: 11, device);

        TensorTransfer.Download(PermutationStatistics.UnbiasedMmd2(kernel, groups, n, m));  // warm-up
        var vectorisedTimes = new double[5];
        float[] vectorised = [];
        for (int i = 0; i < vectorisedTimes.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            vectorised = TensorTransfer.Download(PermutationStatistics.UnbiasedMmd2(kernel, groups, n, m));
            vectorisedTimes[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(vectorisedTimes);
        double vectorisedMs = vectorisedTimes[vectorisedTimes.Length / 2];

        long loopStart = Stopwatch.GetTimestamp();
        float[] looped = PermutationLoopBaseline.UnbiasedMmd2(kernel, groups, n, m);
        double loopMs = Stopwatch.GetElapsedTime(loopStart).TotalMilliseconds;

        double maxDifference = vectorised.Zip(looped, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine(FormattableString.Invariant(
            $"permutation statistics n_ref={n} m={m} d={s.CompareDimension} P={s.ComparePermutations}: vectorised {vectorisedMs:F1} ms (median of {vectorisedTimes.Length}), loop {loopMs:F0} ms, speed-up {loopMs / vectorisedMs:F0}x; p-value vectorised {PValue(vectorised):F4}, loop {PValue(looped):F4}, max |Δstat| {maxDifference:E1}"));
    }

    private static double PValue(float[] observedThenPermuted) =>
        PermutationPValue.From(observedThenPermuted[0], observedThenPermuted.AsSpan(1));

    private static LayerReference RandomLayer(int count, int dimension, int seed)
    {
        float[] flat = [.. RandomRows(count, dimension, seed, 0f).SelectMany(r => r)];
        return new LayerReference("benchmark", count, dimension, flat, MedianHeuristic.Bandwidth(flat, count, dimension));
    }

    private static float[][] RandomRows(int count, int dimension, int seed, float shift)
    {
        var random = new Random(seed);
        var rows = new float[count][];
        for (int i = 0; i < count; i++)
        {
            rows[i] = new float[dimension];
            for (int j = 0; j < dimension; j++)
            {
                // Sum of uniforms: cheap, roughly normal, and plenty for timing.
                rows[i][j] = (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2f + shift;
            }
        }
        return rows;
    }
}
