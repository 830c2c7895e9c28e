using ILGPU;
using ILGPU.Runtime;

namespace Streaming.Detection.Ilgpu;

/// <summary>
/// A layer's per-call buffers of the per-input scores, sized for up to <see cref="Capacity"/> events
/// and k = <see cref="Neighbours"/>, reused while calls fit (an allocation per call would cost more than the kernels).
/// </summary>
internal sealed class ScoreScratch : IDisposable
{
    public ScoreScratch(Accelerator accelerator, int capacity, int neighbours, int referenceCount, int dimension)
    {
        Capacity = capacity;
        Neighbours = neighbours;
        Vectors = accelerator.Allocate1D<float>((long)capacity * dimension);
        Whitened = accelerator.Allocate1D<float>((long)capacity * dimension);
        Distances = accelerator.Allocate1D<float>((long)capacity * referenceCount);
        BestDistances = accelerator.Allocate1D<float>((long)capacity * neighbours);
        BestRows = accelerator.Allocate1D<int>((long)capacity * neighbours);
        Predicted = accelerator.Allocate1D<float>(capacity);
        Nearest = accelerator.Allocate1D<float>(capacity);
        Kth = accelerator.Allocate1D<float>(capacity);
        Differing = accelerator.Allocate1D<int>(capacity);
    }

    public int Capacity { get; }

    public int Neighbours { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> Vectors { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> Whitened { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> Distances { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> BestDistances { get; }

    public MemoryBuffer1D<int, Stride1D.Dense> BestRows { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> Predicted { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> Nearest { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> Kth { get; }

    public MemoryBuffer1D<int, Stride1D.Dense> Differing { get; }

    public bool Fits(int events, int neighbours) => events <= Capacity && neighbours == Neighbours;

    public void Dispose()
    {
        Vectors.Dispose();
        Whitened.Dispose();
        Distances.Dispose();
        BestDistances.Dispose();
        BestRows.Dispose();
        Predicted.Dispose();
        Nearest.Dispose();
        Kth.Dispose();
        Differing.Dispose();
    }
}
