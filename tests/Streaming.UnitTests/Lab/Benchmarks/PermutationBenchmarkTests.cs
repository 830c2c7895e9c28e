using Streaming.Lab.Benchmarks;
using Streaming.UnitTests.Detection;

namespace Streaming.UnitTests.Lab.Benchmarks;

public class PermutationBenchmarkTests
{
    [Fact]
    public void Run_SmallSizes_PrintsBothFiguresWithAgreeingPValues()
    {
        var output = new StringWriter();

        PermutationBenchmark.Run(output, DetectionFixtures.Device, new PermutationBenchmark.Sizes(50, 20, 8, 50, 2, 60, 20, 16, 30));

        string text = output.ToString();
        Assert.Contains("window test n_ref=50 m=20 d=8 P=50: median", text);
        var line = text.Split('\n').Single(l => l.StartsWith("permutation statistics", StringComparison.Ordinal));
        Assert.Contains("speed-up", line);
        // Both paths see the same permutations, so their p-values must agree.
        var vectorised = line.Split("p-value vectorised ")[1].Split(',')[0];
        var looped = line.Split(", loop ")[^1].Split(',')[0];
        Assert.Equal(vectorised, looped);
    }
}
