using Streaming.Detection;
using Streaming.Detection.Ilgpu;

namespace Streaming.UnitTests.Detection.Backends;

/// <summary>
/// The whole window test with the ILGPU backend (CPU accelerator) against the default TorchSharp
/// path: the tester hands both the same permutations, so decisions and p-values are identical.
/// </summary>
public sealed class IlgpuWindowTesterTests : IDisposable
{
    private const int Size = 40;
    private readonly WindowTester _torch;
    private readonly WindowTester _ilgpu;

    public IlgpuWindowTesterTests()
    {
        var references = new ReferenceSet("cnn", "1", DateTimeOffset.UnixEpoch,
        [
            DetectionFixtures.Layer("early", Gaussian.Samples(100, 6, 1)),
            DetectionFixtures.Layer("late", Gaussian.Samples(100, 10, 2)),
        ]);
        var options = new WindowTesterOptions { TopK = 5, Test = new MmdTestOptions { Permutations = 200, Seed = 3 } };
        _torch = new WindowTester(references, DetectionFixtures.Device, options);
        _ilgpu = new WindowTester(references, DetectionFixtures.Device, options, backend: new IlgpuStatisticsBackend(IlgpuTarget.Cpu));
    }

    public void Dispose()
    {
        _torch.Dispose();
        _ilgpu.Dispose();
    }

    private static Dictionary<string, float[][]> Window(int seed, float lateShift, int shiftedSamples)
    {
        var late = Gaussian.Samples(Size, 10, seed + 1);
        for (int i = 0; i < shiftedSamples; i++)
            late[3 * i % Size] = Gaussian.Samples(1, 10, 1000 + seed + i, shift: lateShift)[0];
        return new Dictionary<string, float[][]> { ["early"] = Gaussian.Samples(Size, 6, seed), ["late"] = late };
    }

    [Fact]
    public void TestMany_CleanAndShiftedWindows_SameDecisionsAsTorchSharp()
    {
        List<IReadOnlyDictionary<string, float[][]>> windows =
            [Window(11, 0f, 0), Window(21, 1.5f, 10), Window(31, 0.6f, 8), Window(41, 1f, 13), Window(51, 0f, 0)];

        var expected = _torch.TestMany(windows);
        var actual = _ilgpu.TestMany(windows);

        Assert.StartsWith("ILGPU CPU", _ilgpu.BackendDescription);
        Assert.StartsWith("TorchSharp", _torch.BackendDescription);
        for (int w = 0; w < windows.Count; w++)
        {
            Assert.Equal(expected[w].Alert, actual[w].Alert);
            Assert.Equal(expected[w].CombinedPValue, actual[w].CombinedPValue);
            Assert.Equal(expected[w].TopSampleIndices, actual[w].TopSampleIndices);
            for (int l = 0; l < 2; l++)
            {
                Assert.Equal(expected[w].Layers[l].PValue, actual[w].Layers[l].PValue);
                Assert.Equal(expected[w].Layers[l].Rejected, actual[w].Layers[l].Rejected);
                Assert.Equal(expected[w].Layers[l].Mmd2, actual[w].Layers[l].Mmd2, 5e-6);
            }
        }
        // Not vacuous: both kinds of decision occur.
        Assert.Contains(actual, o => o.Alert);
        Assert.Contains(actual, o => !o.Alert);
    }

    [Fact]
    public void Test_AloneAndInABatch_SameOutcomeOnIlgpu()
    {
        var window = Window(21, 1.5f, 10);

        var alone = _ilgpu.Test(window);
        var batched = _ilgpu.TestMany([Window(11, 0f, 0), window, Window(31, 0.6f, 8)])[1];

        Assert.Equal(alone.Layers.Select(l => l.Mmd2), batched.Layers.Select(l => l.Mmd2));
        Assert.Equal(alone.Layers.Select(l => l.PValue), batched.Layers.Select(l => l.PValue));
        Assert.Equal(alone.TopSampleIndices, batched.TopSampleIndices);
    }
}
