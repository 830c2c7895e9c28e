using System.Runtime.InteropServices;

namespace Streaming.Detection.Ilgpu;

/// <summary>Sizes and scalars one kernel launch needs, passed by value (keeps every kernel under ILGPU's parameter limit).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KernelShape
{
    /// <summary>Reference vectors n.</summary>
    public int ReferenceCount;

    /// <summary>Window samples m.</summary>
    public int WindowCount;

    public int Dimension;

    public int GammaCount;

    /// <summary>Statistic rows: the observed split plus P permutations.</summary>
    public int Rows;

    /// <summary>Floats per window in the output (all layers): layers × (rows + m).</summary>
    public int OutputStride;

    /// <summary>Where this layer's statistics start inside a window's output row.</summary>
    public int OutputOffset;

    /// <summary>1ᵀR1 of the reference block.</summary>
    public double ReferenceTotal;

    /// <summary>Trace of the reference block.</summary>
    public double ReferenceDiagonalTotal;
}
