using System.CommandLine;
using System.Diagnostics;
using Streaming.Detection;
using Streaming.Detection.Scanning;
using Streaming.Lab.Benchmarks;
using Streaming.LocalStack;
using TorchSharp;

namespace Streaming.Control.Benchmarks;

public static class BenchDetectorCommand
{
    public static Command Create()
    {
        var referencePath = new Option<string?>("--reference") { Description = "Reference file (default .artifacts/models/small-cnn/reference.bin)." };
        var windows = new Option<int>("--windows") { Description = "Windows per measurement.", DefaultValueFactory = _ => 32 };
        var batch = new Option<int>("--batch") { Description = "Windows per TestMany call.", DefaultValueFactory = _ => 8 };
        var heldOut = new Option<string?>("--scan-heldout")
        {
            Description = "Reference file of other clean inputs of the same model to simulate the subset scan's null from (default: the reference itself, good for timing only).",
        };
        var nullWindows = new Option<int>("--scan-null-windows") { Description = "Simulated clean windows per scan null.", DefaultValueFactory = _ => 1000 };
        var agreementWindows = new Option<int>("--agreement-windows")
        {
            Description = "Clean windows from the held-out half of the calibration split, tested with both MMD nulls (false alarms, same decisions); 0 skips.",
            DefaultValueFactory = _ => 200,
        };
        var noScan = new Option<bool>("--no-scan") { Description = "Skip the subset-scan part." };
        var live = new Option<bool>("--live")
        {
            Description = "Only the live path: overlapping windows (100 / slide 50) of interleaved streams plus the model-wide window, read, prepared, tested, given evidence and encoded, per-event cache off vs on, every family's ms per window.",
        };
        var streams = new Option<int>("--streams") { Description = "Streams of the --live run.", DefaultValueFactory = _ => 4 };
        var precomputed = new Option<bool>("--precomputed") { Description = "The --live run with Detector:Mmd:Null Precomputed (default: permutations)." };
        var compareNull = new Option<bool>("--compare-null")
        {
            Description = "The --live run with permutations against the precomputed null (both with the per-event caches), interleaved call by call: windows/s of each and their ratio.",
        };
        var hostThreads = new Option<int>("--host-threads")
        {
            Description = "Threads of the precomputed null's managed statistic per call (WindowTesterOptions.HostThreads); 0: as many as TorchSharp's.",
        };
        hostThreads.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
                result.AddError("--host-threads: must not be negative.");
        });
        var command = new Command("bench-detector", "Windows tested per second for the model's layers: full-kernel path, cached single, batched; then the subset scan on the same windows.")
        {
            referencePath, windows, batch, heldOut, nullWindows, agreementWindows, noScan, live, streams, precomputed, compareNull, hostThreads,
        };
        command.SetAction((parse, _) =>
        {
            var reference = ReferenceFile.Load(parse.GetValue(referencePath) ?? RepoPaths.Discover().DefaultReferencePath);
            int count = parse.GetValue(windows);
            int batchSize = parse.GetValue(batch);
            const int size = 100;
            if (parse.GetValue(live))
            {
                Console.WriteLine($"{torch.get_num_threads()} threads");
                LivePathBenchmark.Run(Console.Out, reference, count, parse.GetValue(streams), size, size / 2, parse.GetValue(precomputed), parse.GetValue(batch), parse.GetValue(compareNull));
                return Task.FromResult(0);
            }
            var options = new WindowTesterOptions { Test = new MmdTestOptions { Permutations = 500, Seed = 1 }, HostThreads = parse.GetValue(hostThreads) };
            var random = new Random(3);
            // Windows drawn from the reference itself (clean traffic), 100 events each as in the demo.
            var data = Enumerable.Range(0, count).Select(_ => (IReadOnlyDictionary<string, float[][]>)reference.Layers.ToDictionary(
                l => l.Layer,
                l => Enumerable.Range(0, size).Select(_ => l.Vectors.AsSpan(random.Next(l.Count) * l.Dimension, l.Dimension).ToArray()).ToArray())).ToList();
            Console.WriteLine($"{reference.Layers.Count} layers ({string.Join(", ", reference.Layers.Select(l => $"{l.Layer} {l.Count}x{l.Dimension}"))}), window {size}, P 500, {torch.get_num_threads()} threads");

            var full = new MmdPermutationTest(options.Test);
            var uploaded = reference.Layers.Select(l => DeviceReference.Upload(l, torch.CPU)).ToArray();
            Measure("full joint kernel per layer (before)", count, () =>
            {
                foreach (var window in data)
                    foreach (var layer in uploaded)
                        full.Run(layer, window[layer.Layer]);
            });
            using var tester = new WindowTester(reference, torch.CPU, options);
            tester.TestMany(data.Take(batchSize).ToList());   // warm-up and cache of the reference part
            double single = Measure("cached reference part, one window per call", count, () =>
            {
                foreach (var window in data)
                    tester.Test(window);
            });
            Measure($"cached reference part, {batchSize} windows per call", count, () =>
            {
                for (int start = 0; start < data.Count; start += batchSize)
                    tester.TestMany(data.Skip(start).Take(batchSize).ToList());
            });
            foreach (var layer in uploaded)
                layer.Dispose();
            MeasurePrecomputed(reference, options, data, batchSize, size, tester);
            if (parse.GetValue(agreementWindows) is > 0 and var agreement && reference.HasCalibration)
                MmdNullAgreement.Run(Console.Out, reference, agreement, size, options);
            if (parse.GetValue(noScan))
                return Task.FromResult(0);

            // The scan's held-out inputs must be other clean inputs than its background; the reference
            // itself only serves to time the null build.
            var heldOutReference = parse.GetValue(heldOut) is { } heldOutPath ? ReferenceFile.Load(heldOutPath) : reference;
            float[][][] heldOutLayers = [.. reference.Layers.Select(l => Rows(heldOutReference.Find(l.Layer)
                ?? throw new InvalidOperationException($"Held-out reference lacks layer '{l.Layer}'.")))];
            ScanBenchmark.Run(Console.Out, reference.Layers, data, heldOutLayers, single, [size, size / 2, size / 10],
                nullOptions: new ScanNullOptions { Windows = parse.GetValue(nullWindows) });
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>
    /// The same windows against the null precomputed from the calibration split and with permutations: each mode
    /// over all the windows in turn, for three rounds with the order swapped every round, so a change of load on
    /// the shared machine hits both modes alike and their ratio stays comparable. Not call by call: libgomp's
    /// workers spin on for a while after every tensor call (in a Detector only other permutation calls follow
    /// one), and interleaved they took the second core from the precomputed call after each (the precomputed null
    /// then ran as fast on two threads as on one; with GOMP_SPINCOUNT=1000 it gained a quarter).
    /// </summary>
    private static void MeasurePrecomputed(ReferenceSet reference, WindowTesterOptions options, List<IReadOnlyDictionary<string, float[][]>> data,
        int batchSize, int size, WindowTester permutation)
    {
        if (!reference.HasCalibration)
        {
            Console.WriteLine($"precomputed null: skipped, {reference.MissingCalibrationMessage}");
            return;
        }
        var built = Stopwatch.StartNew();
        using var precomputed = new WindowTester(reference, torch.CPU, options with { Null = MmdNullMode.Precomputed });
        precomputed.PrepareNull([size]);
        Console.WriteLine(FormattableString.Invariant(
            $"precomputed null: {options.NullWindows} clean windows of {size} from {precomputed.NullPoolCount} calibration inputs per layer, built in {built.Elapsed.TotalMilliseconds:F0} ms, {precomputed.HostThreads} host thread(s)"));
        precomputed.TestMany(data.Take(batchSize).ToList());   // warm-up
        const int rounds = 3;
        foreach (int perCall in new[] { 1, batchSize })
        {
            var chunks = Enumerable.Range(0, (data.Count + perCall - 1) / perCall).Select(c => data.Skip(c * perCall).Take(perCall).ToList()).ToList();
            TimeSpan slow = TimeSpan.Zero, fast = TimeSpan.Zero;
            for (int round = 0; round < rounds; round++)
            {
                foreach (bool permutations in round % 2 == 0 ? new[] { true, false } : [false, true])
                {
                    var tester = permutations ? permutation : precomputed;
                    long started = Stopwatch.GetTimestamp();
                    foreach (var chunk in chunks)
                    {
                        tester.TestMany(chunk);
                    }
                    if (permutations)
                        slow += Stopwatch.GetElapsedTime(started);
                    else
                        fast += Stopwatch.GetElapsedTime(started);
                }
            }
            int tested = rounds * data.Count;
            Console.WriteLine(FormattableString.Invariant(
                $"alternating, {perCall} window(s) per call: permutations {tested / slow.TotalSeconds:F1} windows/s, precomputed null {tested / fast.TotalSeconds:F1} windows/s, ratio {slow / fast:F1}x"));
        }
    }

    /// <returns>Milliseconds per window.</returns>
    private static double Measure(string name, int windows, Action run)
    {
        var watch = Stopwatch.StartNew();
        run();
        Console.WriteLine(FormattableString.Invariant($"{name}: {windows / watch.Elapsed.TotalSeconds:F1} windows/s ({watch.Elapsed.TotalMilliseconds / windows:F1} ms/window)"));
        return watch.Elapsed.TotalMilliseconds / windows;
    }

    private static float[][] Rows(LayerReference layer) =>
        [.. Enumerable.Range(0, layer.Count).Select(i => layer.Vectors.AsSpan(i * layer.Dimension, layer.Dimension).ToArray())];
}
