using Streaming.Detection;
using Streaming.Detection.Compute;
using Streaming.Detection.Ilgpu;
using TorchSharp;

namespace Streaming.UnitTests.Detection.Backends;

/// <summary>The TorchSharp CPU backend and the ILGPU CPU-accelerator backend over the same layers and the same permutations.</summary>
internal sealed class BackendPair : IDisposable
{
    public BackendPair(IReadOnlyList<LayerReference> layers, IReadOnlyList<double> scales, int windowCount, int permutations, ulong seed)
    {
        Layers = layers;
        foreach (var layer in layers)
        {
            Torch.AddLayer(layer.Layer, layer.Vectors, layer.Count, layer.Dimension, layer.Bandwidth, scales);
            Ilgpu.AddLayer(layer.Layer, layer.Vectors, layer.Count, layer.Dimension, layer.Bandwidth, scales);
        }
        for (int i = 0; i < layers.Count; i++)
        {
            // Generated once, handed to both.
            var set = PermutationSet.Random(layers[i].Count, windowCount, permutations, seed + (ulong)i);
            Torch.SetPermutations(i, set);
            Ilgpu.SetPermutations(i, set);
        }
    }

    public IReadOnlyList<LayerReference> Layers { get; }

    public TorchSharpStatisticsBackend Torch { get; } = new(torch.CPU);

    public IlgpuStatisticsBackend Ilgpu { get; } = new(IlgpuTarget.Cpu);

    public void Dispose()
    {
        Torch.Dispose();
        Ilgpu.Dispose();
    }
}
