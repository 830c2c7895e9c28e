using Streaming.Detection;
using Streaming.Detection.Ilgpu;
using Streaming.WindowBench;
using TorchSharp;

namespace Streaming.Control.Benchmarks;

/// <summary>
/// The CPU side of the backend bench: the same cases as window-bench, on TorchSharp CPU (the figures
/// a GPU run divides by) and, if asked, on ILGPU's CPU accelerator right after each, so both meet the
/// same load on a shared machine. The CPU accelerator only shows that the kernels run; it is not a CPU path.
/// </summary>
internal static class BackendBenchmark
{
    public static void Run(TextWriter output, IReadOnlyList<int> referenceCounts, IReadOnlyList<int> batches, int windows, bool ilgpuCpu, string? baselinePath)
    {
        var settings = new BenchSettings { Windows = windows };
        output.WriteLine($"bench-backend: {settings.Dimensions.Count} layers (d {string.Join('/', settings.Dimensions)}), window {settings.WindowCount}, P {settings.Permutations}, {windows} windows per case, TorchSharp {torch.get_num_threads()} threads");
        var baseline = new List<BenchFigure>();
        foreach (int referenceCount in referenceCounts)
        {
            foreach (int batch in batches)
            {
                var benchCase = new BenchCase(referenceCount, batch);
                var torchFigure = WindowBenchmark.Measure(() => new TorchSharpStatisticsBackend(torch.CPU), benchCase, settings, output);
                baseline.Add(torchFigure);
                output.WriteLine(WindowBenchmark.Describe(torchFigure, []));
                if (ilgpuCpu)
                {
                    var ilgpuFigure = WindowBenchmark.Measure(() => new IlgpuStatisticsBackend(IlgpuTarget.Cpu), benchCase, settings, output);
                    output.WriteLine(WindowBenchmark.Describe(ilgpuFigure, [torchFigure]) + " (CPU accelerator: test-only)");
                }
            }
        }
        if (baselinePath is not null)
        {
            File.WriteAllLines(baselinePath, baseline.Select(f => f.ToLine()));
            output.WriteLine($"baseline written to {baselinePath} (pass it to window-bench --baseline)");
        }
    }
}
