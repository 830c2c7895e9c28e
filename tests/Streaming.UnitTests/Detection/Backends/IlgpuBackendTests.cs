using Streaming.Detection;
using Streaming.Detection.Compute;
using Streaming.Detection.Ilgpu;

namespace Streaming.UnitTests.Detection.Backends;

/// <summary>
/// The ILGPU backend on its CPU accelerator against the TorchSharp CPU path, same data and same
/// permutation index sets: statistics and witness scores within float32 rounding, identical p-values.
/// </summary>
public sealed class IlgpuBackendTests
{
    private const int Window = 30;
    private const int Permutations = 199;

    private static LayerReference[] Layers() =>
    [
        DetectionFixtures.Layer("early", Gaussian.Samples(150, 6, 1)),
        DetectionFixtures.Layer("late", Gaussian.Samples(120, 10, 2)),
    ];

    /// <summary>B windows per layer, row-major; window b of the late layer shifted by b × 0.4 for its first half.</summary>
    private static float[][] Windows(LayerReference[] layers, int batch)
    {
        var flats = new float[layers.Length][];
        for (int l = 0; l < layers.Length; l++)
        {
            var rows = new List<float[]>();
            for (int b = 0; b < batch; b++)
            {
                var window = Gaussian.Samples(Window, layers[l].Dimension, 50 + 10 * l + b);
                if (l == 1)
                {
                    for (int i = 0; i < Window / 2; i++)
                        window[i] = Gaussian.Samples(1, layers[l].Dimension, 500 + 31 * b + i, shift: 0.4f * b)[0];
                }
                rows.AddRange(window);
            }
            flats[l] = Gaussian.Flatten([.. rows]);
        }
        return flats;
    }

    public static TheoryData<int, bool> Cases => new() { { 1, false }, { 4, false }, { 4, true } };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_SharedPermutations_MatchesTorchSharpCpu(int batch, bool multiBandwidth)
    {
        var layers = Layers();
        var scales = multiBandwidth ? KernelBandwidths.Multi : KernelBandwidths.Single;
        using var pair = new BackendPair(layers, scales, Window, Permutations, seed: 7);
        var windows = Windows(layers, batch);

        float[] expected = pair.Torch.Compute(batch, Window, windows);
        float[] actual = pair.Ilgpu.Compute(batch, Window, windows);

        Assert.Equal(expected.Length, actual.Length);
        int layerStride = 1 + Permutations + Window;
        double largest = expected.Max(Math.Abs);
        for (int b = 0; b < batch; b++)
        {
            for (int l = 0; l < layers.Length; l++)
            {
                int start = (b * layers.Length + l) * layerStride;
                var torchRow = expected.AsSpan(start, layerStride);
                var ilgpuRow = actual.AsSpan(start, layerStride);
                for (int k = 0; k < layerStride; k++)
                {
                    // float32 rounding of sums of up to (n+m)² kernel entries, scaled by the largest value.
                    Assert.True(Math.Abs(torchRow[k] - ilgpuRow[k]) <= 2e-6 * Math.Max(1, largest),
                        $"window {b}, layer {l}, entry {k}: TorchSharp {torchRow[k]:G9}, ILGPU {ilgpuRow[k]:G9}");
                }
                double torchP = PermutationPValue.From(torchRow[0], torchRow.Slice(1, Permutations));
                double ilgpuP = PermutationPValue.From(ilgpuRow[0], ilgpuRow.Slice(1, Permutations));
                Assert.Equal(torchP, ilgpuP);
            }
        }
        // Not vacuous: the shifted windows of the late layer reach the smallest p-value, the clean one does not.
        if (batch == 4)
        {
            int late = (3 * layers.Length + 1) * layerStride;
            Assert.Equal(1.0 / (1 + Permutations), PermutationPValue.From(actual[late], actual.AsSpan(late + 1, Permutations)));
            int clean = (0 * layers.Length + 1) * layerStride;
            Assert.True(PermutationPValue.From(actual[clean], actual.AsSpan(clean + 1, Permutations)) > 0.05);
        }
    }

    [Fact]
    public void Compute_WindowSizeWithoutPermutations_ThrowsNamingTheLayer()
    {
        var layers = Layers();
        using var pair = new BackendPair(layers, KernelBandwidths.Single, Window, Permutations, seed: 7);

        var ex = Assert.Throws<InvalidOperationException>(() => pair.Ilgpu.Compute(1, Window + 1, Windows(layers, 1)));

        Assert.Contains("early", ex.Message);
    }

    [Fact]
    public void SetPermutations_OtherReferenceSize_Throws()
    {
        using var backend = new IlgpuStatisticsBackend(IlgpuTarget.Cpu);
        var layer = Layers()[0];
        backend.AddLayer(layer.Layer, layer.Vectors, layer.Count, layer.Dimension, layer.Bandwidth, KernelBandwidths.Single);

        Assert.Throws<ArgumentException>(() => backend.SetPermutations(0, PermutationSet.Random(layer.Count + 1, Window, 19, 1)));
    }

    [Fact]
    public void Description_CpuTarget_NamesIlgpuAndCpu()
    {
        using var backend = new IlgpuStatisticsBackend(IlgpuTarget.Cpu);

        Assert.StartsWith("ILGPU CPU", backend.Description);
        Assert.False(backend.OnGpu);
    }
}
