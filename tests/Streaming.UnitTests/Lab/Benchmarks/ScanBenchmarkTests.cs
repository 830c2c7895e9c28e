using Streaming.Detection.Scanning;
using Streaming.Lab.Benchmarks;
using Streaming.UnitTests.Detection;

namespace Streaming.UnitTests.Lab.Benchmarks;

public class ScanBenchmarkTests
{
    [Fact]
    public void Run_SmallSizes_PrintsScanTimeRatioAndNullBuilds()
    {
        int[] dims = [6, 4];
        var background = dims.Select((d, l) => DetectionFixtures.Layer($"layer{l}", Gaussian.Samples(50, d, seed: l))).ToList();
        var windows = Enumerable.Range(0, 3)
            .Select(w => (IReadOnlyDictionary<string, float[][]>)dims.Select((d, l) => (Name: $"layer{l}", Rows: Gaussian.Samples(10, d, seed: 100 + w * 10 + l)))
                .ToDictionary(x => x.Name, x => x.Rows))
            .ToList();
        float[][][] heldOut = [.. dims.Select((d, l) => Gaussian.Samples(30, d, seed: 200 + l))];
        var output = new StringWriter();

        ScanBenchmark.Run(output, background, windows, heldOut, mmdMillisecondsPerWindow: 4.0, nullSizes: [10, 5], nullOptions: new ScanNullOptions { Windows = 20 });

        string text = output.ToString();
        Assert.Contains("over 10 nodes, n_bg 50, window 10: median", text);
        var ratio = text.Split('\n').Single(l => l.StartsWith("window test with both families: MMD 4.00 ms + scan ", StringComparison.Ordinal));
        Assert.Contains("x the MMD test alone", ratio);
        Assert.Contains("scan null, window 10: 20 simulated windows from 30 held-out inputs", text);
        Assert.Contains("scan null, window 5: 20 simulated windows", text);
    }
}
