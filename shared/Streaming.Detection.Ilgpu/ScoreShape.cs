using System.Runtime.InteropServices;

namespace Streaming.Detection.Ilgpu;

/// <summary>Sizes one per-input score kernel launch needs, passed by value.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ScoreShape
{
    public int Events;

    /// <summary>Reference vectors n.</summary>
    public int ReferenceCount;

    public int Dimension;

    /// <summary>Rows of the whitened class means (unseen classes included, flagged off).</summary>
    public int Classes;

    /// <summary>k of the k-NN search.</summary>
    public int Neighbours;

    /// <summary>1 when the reference has labels (label disagreement is counted), 0 otherwise.</summary>
    public int HasLabels;
}
