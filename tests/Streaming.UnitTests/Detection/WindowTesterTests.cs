using Streaming.Detection;

namespace Streaming.UnitTests.Detection;

public sealed class WindowTesterTests : IDisposable
{
    private const int Window = 40;
    private readonly WindowTester _tester;

    public WindowTesterTests()
    {
        var references = new ReferenceSet("cnn", "1", DateTimeOffset.UnixEpoch,
        [
            DetectionFixtures.Layer("early", Gaussian.Samples(100, 6, 1)),
            DetectionFixtures.Layer("late", Gaussian.Samples(100, 10, 2)),
        ]);
        _tester = new WindowTester(references, DetectionFixtures.Device,
            new WindowTesterOptions { TopK = 5, Test = new MmdTestOptions { Permutations = 200, Seed = 3 } });
    }

    [Fact]
    public void Test_CleanWindow_NoAlert()
    {
        var outcome = _tester.Test(new Dictionary<string, float[][]>
        {
            ["early"] = Gaussian.Samples(Window, 6, 11),
            ["late"] = Gaussian.Samples(Window, 10, 12),
        });

        Assert.False(outcome.Alert, $"combined p = {outcome.CombinedPValue}");
        Assert.All(outcome.Layers, l => Assert.False(l.Rejected));
        Assert.Equal(["early", "late"], outcome.Layers.Select(l => l.Layer));
        Assert.Equal(5, outcome.TopSampleIndices.Count);
        Assert.True(outcome.Duration > TimeSpan.Zero);
    }

    [Fact]
    public void Test_LateLayerShiftedForSomeSamples_AlertsAndNamesThem()
    {
        var late = Gaussian.Samples(Window, 10, 12);
        int[] attacked = [2, 9, 14, 21, 22, 30, 33, 35, 37, 39];
        foreach (int i in attacked)
        {
            late[i] = Gaussian.Samples(1, 10, 100 + i, shift: 1.5f)[0];
        }

        var outcome = _tester.Test(new Dictionary<string, float[][]>
        {
            ["early"] = Gaussian.Samples(Window, 6, 11),
            ["late"] = late,
        });

        Assert.True(outcome.Alert);
        Assert.Equal(CorrectionMethod.Bonferroni, outcome.Correction);
        Assert.Equal(Math.Min(1, 2 * outcome.Layers.Min(l => l.PValue)), outcome.CombinedPValue, 12);
        Assert.False(outcome.Layers[0].Rejected);
        Assert.True(outcome.Layers[1].Rejected);
        Assert.True(outcome.Layers[1].Mmd2 > outcome.Layers[0].Mmd2);
        Assert.All(outcome.TopSampleIndices, i => Assert.Contains(i, attacked));
    }

    [Fact]
    public void Test_MissingLayer_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => _tester.Test(new Dictionary<string, float[][]>
        {
            ["early"] = Gaussian.Samples(Window, 6, 11),
        }));

        Assert.Contains("lacks layer 'late'", error.Message);
    }

    [Fact]
    public void Test_UnknownLayer_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => _tester.Test(new Dictionary<string, float[][]>
        {
            ["early"] = Gaussian.Samples(Window, 6, 11),
            ["late"] = Gaussian.Samples(Window, 10, 12),
            ["fc"] = Gaussian.Samples(Window, 3, 13),
        }));

        Assert.Contains("'fc'", error.Message);
    }

    [Fact]
    public void Test_LayersWithDifferentSampleCounts_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => _tester.Test(new Dictionary<string, float[][]>
        {
            ["early"] = Gaussian.Samples(Window, 6, 11),
            ["late"] = Gaussian.Samples(Window - 1, 10, 12),
        }));

        Assert.Contains("same inputs", error.Message);
    }

    [Fact]
    public void Test_SameWindowTwice_SameOutcome()
    {
        var window = new Dictionary<string, float[][]>
        {
            ["early"] = Gaussian.Samples(Window, 6, 11, shift: 0.2f),
            ["late"] = Gaussian.Samples(Window, 10, 12, shift: 0.2f),
        };

        var first = _tester.Test(window);
        var second = _tester.Test(window);

        Assert.Equal(first.Layers, second.Layers);
        Assert.Equal(first.TopSampleIndices, second.TopSampleIndices);
    }

    [Theory]
    [InlineData(CorrectionMethod.Fisher)]
    [InlineData(CorrectionMethod.Simes)]
    public void Test_OtherCorrections_CombineLayerPValues(CorrectionMethod method)
    {
        using var tester = new WindowTester(_tester.References, DetectionFixtures.Device,
            new WindowTesterOptions { Correction = method, Test = new MmdTestOptions { Permutations = 100 } });

        var outcome = tester.Test(new Dictionary<string, float[][]>
        {
            ["early"] = Gaussian.Samples(Window, 6, 11),
            ["late"] = Gaussian.Samples(Window, 10, 12, shift: 1f),
        });

        Assert.Equal(MultipleTesting.Combine(method, [.. outcome.Layers.Select(l => l.PValue)]), outcome.CombinedPValue, 12);
        Assert.True(outcome.Alert);
    }

    public void Dispose() => _tester.Dispose();
}
