using ILGPU;
using ILGPU.Runtime;

namespace Streaming.Detection.Ilgpu;

/// <summary>
/// One layer of the per-input scores on the accelerator: reference vectors and labels, the class
/// model (whitening and whitened means; 1-element placeholders without labels), and per-call buffers
/// that grow with the largest batch seen.
/// </summary>
internal sealed class IlgpuScoreLayer(string name, int count, int dimension, int classes, bool hasLabels,
    MemoryBuffer1D<float, Stride1D.Dense> reference, MemoryBuffer1D<int, Stride1D.Dense> labels,
    MemoryBuffer1D<float, Stride1D.Dense> whitening, MemoryBuffer1D<float, Stride1D.Dense> means,
    MemoryBuffer1D<int, Stride1D.Dense> seen) : IDisposable
{
    public string Name { get; } = name;

    public int Count { get; } = count;

    public int Dimension { get; } = dimension;

    public int Classes { get; } = classes;

    public bool HasLabels { get; } = hasLabels;

    public bool HasClassModel => Classes > 0;

    public MemoryBuffer1D<float, Stride1D.Dense> Reference { get; } = reference;

    public MemoryBuffer1D<int, Stride1D.Dense> Labels { get; } = labels;

    public MemoryBuffer1D<float, Stride1D.Dense> Whitening { get; } = whitening;

    public MemoryBuffer1D<float, Stride1D.Dense> Means { get; } = means;

    public MemoryBuffer1D<int, Stride1D.Dense> Seen { get; } = seen;

    public ScoreScratch? Scratch { get; set; }

    public ScoreShape Shape(int events, int neighbours) => new()
    {
        Events = events,
        ReferenceCount = Count,
        Dimension = Dimension,
        Classes = Classes,
        Neighbours = neighbours,
        HasLabels = HasLabels ? 1 : 0,
    };

    public void Dispose()
    {
        Scratch?.Dispose();
        Scratch = null;
        Reference.Dispose();
        Labels.Dispose();
        Whitening.Dispose();
        Means.Dispose();
        Seen.Dispose();
    }
}
