using ILGPU;
using ILGPU.Runtime;

namespace Streaming.Detection.Ilgpu;

/// <summary>
/// A layer's permutations for one window size on the accelerator: each row's members split into
/// reference positions and window samples, and the reference-only sums (a_rᵀRa_r, a_r·R1, a_r·diag R).
/// </summary>
internal sealed class IlgpuPermutationPart(int rows, MemoryBuffer1D<int, Stride1D.Dense> members,
    MemoryBuffer1D<int, Stride1D.Dense> counts, MemoryBuffer1D<double, Stride1D.Dense> referenceSums) : IDisposable
{
    /// <summary>The observed split plus P permutations.</summary>
    public int Rows { get; } = rows;

    /// <summary>rows × m reference members (padded), then rows × m window members (padded).</summary>
    public MemoryBuffer1D<int, Stride1D.Dense> Members { get; } = members;

    /// <summary>Per row: reference member count, window member count.</summary>
    public MemoryBuffer1D<int, Stride1D.Dense> Counts { get; } = counts;

    /// <summary>Per row: a_rᵀRa_r, a_r·R1, a_r·diag(R).</summary>
    public MemoryBuffer1D<double, Stride1D.Dense> ReferenceSums { get; } = referenceSums;

    public void Dispose()
    {
        Members.Dispose();
        Counts.Dispose();
        ReferenceSums.Dispose();
    }
}
