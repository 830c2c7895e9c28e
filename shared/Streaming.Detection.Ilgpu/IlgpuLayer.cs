using ILGPU;
using ILGPU.Runtime;

namespace Streaming.Detection.Ilgpu;

/// <summary>One layer's reference on the accelerator: centred vectors, squared norms, R1 and diag(R), and its permutation parts.</summary>
internal sealed class IlgpuLayer : IDisposable
{
    public IlgpuLayer(string name, int count, int dimension, float[] mean, int gammaCount,
        MemoryBuffer1D<float, Stride1D.Dense> centred, MemoryBuffer1D<float, Stride1D.Dense> norms,
        MemoryBuffer1D<float, Stride1D.Dense> rowSums, MemoryBuffer1D<float, Stride1D.Dense> diagonal,
        MemoryBuffer1D<float, Stride1D.Dense> gammas)
    {
        Name = name;
        Count = count;
        Dimension = dimension;
        Mean = mean;
        GammaCount = gammaCount;
        Centred = centred;
        Norms = norms;
        RowSums = rowSums;
        Diagonal = diagonal;
        Gammas = gammas;
    }

    public string Name { get; }

    public int Count { get; }

    public int Dimension { get; }

    /// <summary>Reference mean; windows are centred by it on the host before upload.</summary>
    public float[] Mean { get; }

    public int GammaCount { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> Centred { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> Norms { get; }

    /// <summary>R1: row sums of the n×n reference kernel block (the block itself is never stored).</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> RowSums { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> Diagonal { get; }

    public MemoryBuffer1D<float, Stride1D.Dense> Gammas { get; }

    /// <summary>1ᵀR1, summed on the host in float64.</summary>
    public double Total { get; set; }

    /// <summary>trace(R), summed on the host in float64.</summary>
    public double DiagonalTotal { get; set; }

    /// <summary>Permutation parts by window size.</summary>
    public Dictionary<int, IlgpuPermutationPart> Parts { get; } = [];

    public KernelShape Shape(int windowCount, int rows) => new()
    {
        ReferenceCount = Count,
        WindowCount = windowCount,
        Dimension = Dimension,
        GammaCount = GammaCount,
        Rows = rows,
        ReferenceTotal = Total,
        ReferenceDiagonalTotal = DiagonalTotal,
    };

    public void Dispose()
    {
        foreach (var part in Parts.Values)
        {
            part.Dispose();
        }
        Parts.Clear();
        Centred.Dispose();
        Norms.Dispose();
        RowSums.Dispose();
        Diagonal.Dispose();
        Gammas.Dispose();
    }
}
