using System.CommandLine;
using System.Diagnostics;
using Streaming.Control.Cli;
using Streaming.Detection;
using Streaming.Detection.Scoring;
using Streaming.LocalStack;
using TorchSharp;

namespace Streaming.Control.Benchmarks;

/// <summary>
/// `control bench-scores`: time per event of per-input scoring, next to two baselines measured in the
/// same run: the window MMD test of `bench-detector` (cached reference part, P 500) divided by its 100
/// events, and a plain scalar k-NN loop (no SIMD) over the same reference.
/// </summary>
public static class BenchScoresCommand
{
    public static Command Create()
    {
        var referencePath = new Option<string?>("--reference") { Description = "Reference file, format v2 (default .artifacts/models/small-cnn/reference.bin)." };
        var events = new Option<int>("--events") { Description = "Events scored per measurement (drawn from the calibration split).", DefaultValueFactory = _ => 2000 };
        var command = new Command("bench-scores", "Per-input scores: microseconds per event (one thread) against the window MMD test per event and a scalar k-NN loop, measured in the same run.") { referencePath, events };
        command.SetAction((parse, _) =>
        {
            var reference = ReferenceFile.Load(parse.GetValue(referencePath) ?? RepoPaths.Discover().DefaultReferencePath);
            if (!reference.HasCalibration)
                throw new CliFailureException(reference.MissingCalibrationMessage!);
            var split = reference.Calibration!;
            int count = parse.GetValue(events);
            var random = new Random(5);
            var rows = Enumerable.Range(0, count).Select(_ => random.Next(split.Count)).ToArray();
            var inputs = rows.Select(i => (IReadOnlyList<float[]>)reference.Layers.Select((l, j) => split.Vectors[j].AsSpan(i * l.Dimension, l.Dimension).ToArray()).ToArray()).ToArray();
            var labels = rows.Select(i => (int?)split.Labels[i]).ToArray();
            Console.WriteLine($"{reference.Layers.Count} layers ({string.Join(", ", reference.Layers.Select(l => $"{l.Layer} {l.Count}x{l.Dimension}"))}), n_cal {split.Count}, {count} events");

            var watch = Stopwatch.StartNew();
            var scorer = new PerInputScorer(reference, new PerInputScorerOptions { Measure = NonconformityMeasure.KnnDistance });
            Console.WriteLine($"scorer construction (calibration scores of {split.Count} inputs): {watch.Elapsed.TotalMilliseconds:F0} ms");

            double scalar = PerEvent(count, () =>
            {
                foreach (var input in inputs) ScalarKnn(reference, input, scorer.Options.Neighbours);
            });
            Print("baseline: scalar k-NN loop (distances only, no p-values)", scalar, scalar);
            double mmd = MmdPerEvent(reference);
            Print("baseline: window MMD test (window 100, P 500) per event", mmd, scalar);
            scorer.Score(inputs[0], labels[0]);   // warm-up
            double single = PerEvent(count, () =>
            {
                for (int i = 0; i < inputs.Length; i++) scorer.Score(inputs[i], labels[i]);
            });
            Print($"per-input scores, k-NN distance k={scorer.Options.Neighbours} + p-values + evidence, one event per call", single, scalar);
            var mahalanobis = new PerInputScorer(reference);
            double classConditional = PerEvent(count, () =>
            {
                for (int i = 0; i < inputs.Length; i++) mahalanobis.Score(inputs[i], labels[i]);
            });
            Print("per-input scores, default (class Mahalanobis) + p-values + evidence, one event per call", classConditional, scalar);
            Console.WriteLine(FormattableString.Invariant($"default per-input scores cost {classConditional / mmd:P1} of the window MMD test's time per event"));
            Console.WriteLine($"target: at most 1 ms per event at n_ref 1000 -> {(classConditional <= 1000 ? "met" : "NOT met")} ({classConditional:F0} us)");
            return Task.FromResult(0);
        });
        return command;
    }

    private static double PerEvent(int events, Action run)
    {
        var watch = Stopwatch.StartNew();
        run();
        return watch.Elapsed.TotalMicroseconds / events;
    }

    private static void Print(string name, double microseconds, double baseline) =>
        Console.WriteLine(FormattableString.Invariant($"{name}: {microseconds:F1} us/event ({baseline / microseconds:F2}x the scalar loop's speed)"));

    private static double MmdPerEvent(ReferenceSet reference)
    {
        const int size = 100, windows = 16;
        var random = new Random(3);
        var data = Enumerable.Range(0, windows).Select(_ => (IReadOnlyDictionary<string, float[][]>)reference.Layers.ToDictionary(
            l => l.Layer,
            l => Enumerable.Range(0, size).Select(_ => l.Vectors.AsSpan(random.Next(l.Count) * l.Dimension, l.Dimension).ToArray()).ToArray())).ToList();
        using var tester = new WindowTester(reference, torch.CPU, new WindowTesterOptions { Test = new MmdTestOptions { Permutations = 500, Seed = 1 } });
        tester.Test(data[0]);
        var watch = Stopwatch.StartNew();
        foreach (var window in data) tester.Test(window);
        return watch.Elapsed.TotalMicroseconds / (windows * size);
    }

    /// <summary>The naive computation the scorer replaces: scalar double loops, a full sort of the distances.</summary>
    private static double ScalarKnn(ReferenceSet reference, IReadOnlyList<float[]> input, int k)
    {
        double total = 0;
        for (int l = 0; l < reference.Layers.Count; l++)
        {
            var layer = reference.Layers[l];
            var distances = new double[layer.Count];
            for (int r = 0; r < layer.Count; r++)
            {
                double sum = 0;
                for (int j = 0; j < layer.Dimension; j++)
                {
                    double d = input[l][j] - layer.Vectors[r * layer.Dimension + j];
                    sum += d * d;
                }
                distances[r] = sum;
            }
            Array.Sort(distances);
            total += Math.Sqrt(distances[k - 1]);
        }
        return total;
    }
}
