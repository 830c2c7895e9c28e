using Streaming.Detection.Ilgpu;
using Streaming.WindowBench;

// window-bench [--target auto|cuda|cpu] [--n-ref 1000,10000] [--batch 1,16] [--windows 64] [--baseline FILE] [--out FILE]
// The ILGPU window test, 4 layers (d 32/64/128/10), windows of 100, P 500. --baseline: the TorchSharp
// CPU figures of `control bench-backend --out FILE` from the same configuration, printed as ratios.
var options = Arguments.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: window-bench [--target auto|cuda|cpu] [--n-ref 1000,10000] [--batch 1,16] [--windows 64] [--baseline FILE] [--out FILE]");
    return 2;
}

var baseline = options.Baseline is { } path ? File.ReadAllLines(path).Where(l => l.Length > 0).Select(BenchFigure.Parse).ToList() : [];
var settings = new BenchSettings { Windows = options.Windows };
Console.WriteLine($"window-bench: ILGPU target {options.Target}, CUDA found: {IlgpuDevices.CudaAvailable()}; {settings.Dimensions.Count} layers (d {string.Join('/', settings.Dimensions)}), window {settings.WindowCount}, P {settings.Permutations}");
var figures = new List<BenchFigure>();
foreach (int referenceCount in options.ReferenceCounts)
{
    foreach (int batch in options.Batches)
    {
        var figure = WindowBenchmark.Measure(() => new IlgpuStatisticsBackend(options.Target), new BenchCase(referenceCount, batch), settings, Console.Out);
        figures.Add(figure);
        Console.WriteLine(WindowBenchmark.Describe(figure, baseline));
    }
}
if (options.Output is { } output)
{
    File.WriteAllLines(output, figures.Select(f => f.ToLine()));
}
return 0;
